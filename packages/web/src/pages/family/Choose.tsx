/** A labelled select whose first option is "any" or "choose" (value ""): a filter of the school's pages. */
export function Choose({
  id,
  label,
  value,
  empty,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  /** what the empty choice says */
  empty: string;
  options: ReadonlyArray<readonly [value: string, label: string]>;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{empty}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}
