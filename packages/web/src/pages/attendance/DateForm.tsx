/** A date picker that opens the page at `path` for the date chosen (`?date=yyyy-MM-dd`). */
import { navigate } from '../../router';

export function DateForm({ path, date, label, show }: { path: string; date: string; label: string; show: string }) {
  return (
    <form
      className="actions"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(`${path}?date=${String(new FormData(e.currentTarget).get('date'))}`);
      }}
    >
      <label>
        {label} <input type="date" name="date" defaultValue={date} required />
      </label>
      <button type="submit">{show}</button>
    </form>
  );
}
