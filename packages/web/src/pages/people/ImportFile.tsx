/**
 * One import of a kind (students, rooms, staff, clubs): choose a CSV file, send its bytes as
 * they are, and see what the server said beside each row of the file. A refused file (400)
 * shows every row's problem in that row, and nothing was imported; a job (202) shows rows
 * done of rows until it ends; a finished import says what it wrote, row by row where it can.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import { readProblem, type ProblemInfo } from '../../api/problem';
import { readCsv, type CsvTable } from './csv';
import type { ImportKind } from './importKinds';
import { importIdOf } from './query';
import { fieldsOf, notesOf, rowsToShow, type RowNotes } from './rowNotes';
import { TemplateLink } from './TemplateLink';
import type { ImportJob } from './types';

interface ChosenFile extends CsvTable {
  name: string;
  blob: Blob;
  encoding: 'utf-8' | 'gb18030';
}

type Answer =
  | { kind: 'refused'; problem: ProblemInfo }
  | { kind: 'job'; importId: string }
  | { kind: 'done'; summary: string; notes: RowNotes };

export function ImportFile({ kind, schoolId, termId }: { kind: ImportKind; schoolId: string; termId?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [sending, setSending] = useState(false);
  const job = useImportJob(schoolId, answer?.kind === 'job' ? answer.importId : undefined);

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = e.target.files?.[0];
    setAnswer(null);
    if (!chosen) return setFile(null);
    const bytes = await chosen.arrayBuffer();
    setFile({ name: chosen.name, blob: new Blob([bytes], { type: 'text/csv' }), ...readCsv(bytes) });
  };

  const send = async () => {
    if (!file) return;
    setSending(true);
    try {
      const out = await kind.post({ schoolId, termId, file: file.blob });
      const status = out.response.status;
      if (status === 202) {
        const accepted = out.data as ImportJob;
        setAnswer({ kind: 'job', importId: importIdOf(out.response.headers.get('location'), accepted.importId) });
      } else if (out.response.ok && kind.done) setAnswer({ kind: 'done', ...kind.done(out.data, t) });
      else setAnswer({ kind: 'refused', problem: readProblem(status, out.error) });
    } catch {
      setAnswer({ kind: 'refused', problem: { status: 0, detail: '', fields: {} } });
    } finally {
      setSending(false);
    }
  };

  const label = kind.label?.(t);
  const notes: RowNotes =
    answer?.kind === 'refused'
      ? notesOf(answer.problem.fields, label)
      : answer?.kind === 'done'
        ? answer.notes
        : job.data?.errors.length
          ? notesOf(fieldsOf(job.data.errors), label)
          : { rows: new Map(), file: [] };

  return (
    <section className="card import" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t(`people.import.kinds.${kind.name}`)}</h2>
      <p className="hint">{t(`people.import.about.${kind.name}`)}</p>
      <TemplateLink schoolId={schoolId} kind={kind.name} />
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('people.import.file')}</label>
        <p className="hint" id={`${id}-file-hint`}>
          {t('people.import.fileHint')}
        </p>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv"
          aria-describedby={`${id}-file-hint`}
          onChange={(e) => void choose(e)}
        />
      </div>
      {file && (
        <p>
          {t('people.import.chosen', {
            name: file.name,
            count: file.rows.length,
            encoding: file.encoding === 'utf-8' ? 'UTF-8' : 'GB18030/GBK',
          })}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={!file || sending || job.running} onClick={() => void send()}>
          {sending ? t('people.import.sending') : t('people.import.send')}
        </button>
      </div>
      <div role="alert" className="form-problem">
        {answer?.kind === 'refused' && <Refused problem={answer.problem} notes={notes} />}
        {job.data?.state === 'failed' && <p>{t('people.import.failed', { message: job.data.message ?? '' })}</p>}
        {job.error && <p>{t('people.import.lost')}</p>}
      </div>
      <div role="status" className="import-status">
        {job.data && job.data.state !== 'failed' && <JobProgress job={job.data} />}
        {answer?.kind === 'done' && <p className="done">{answer.summary}</p>}
      </div>
      {file && (
        <RowsTable
          file={file}
          notes={notes}
          caption={t('people.import.rowsCaption', { name: file.name })}
          problems={answer?.kind === 'refused' || Boolean(job.data?.errors.length)}
        />
      )}
    </section>
  );
}

/** Polls an import until it ends (a job: queued, running, then finished or failed). */
function useImportJob(schoolId: string, importId: string | undefined) {
  const q = useQuery({
    queryKey: ['import', schoolId, importId],
    enabled: importId !== undefined,
    queryFn: () =>
      data(api().GET('/schools/{schoolId}/imports/{importId}', { params: { path: { schoolId, importId: importId! } } })),
    refetchInterval: (query) => (ended(query.state.data) ? false : 1000),
  });
  return { ...q, running: importId !== undefined && !ended(q.data) && !q.error };
}
const ended = (job: ImportJob | undefined) => job?.state === 'finished' || job?.state === 'failed';

function Refused({ problem, notes }: { problem: ProblemInfo; notes: RowNotes }) {
  const { t } = useTranslation();
  if (problem.status === 0) return <p>{t('people.import.offline')}</p>;
  const rows = notes.rows.size;
  return (
    <>
      <p>
        {problem.status !== 400
          ? t('people.import.notSent', { status: problem.status, detail: problem.detail })
          : rows
            ? t('people.import.refused', { count: rows })
            : t('people.import.refusedFile')}
      </p>
      {problem.status === 400 && problem.detail && <p>{problem.detail}</p>}
      {notes.file.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </>
  );
}

function JobProgress({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const id = useId();
  if (job.state === 'finished')
    return (
      <p className="done">
        {t('people.import.finished', {
          rows: job.rows,
          students: job.studentsWritten,
          guardians: job.guardiansWritten,
        })}
        {job.errorCount > 0 && ` ${t('people.import.notApplied', { count: job.errorCount })}`}
      </p>
    );
  return (
    <div className="progress">
      <label htmlFor={`${id}-p`}>
        {t(job.state === 'queued' ? 'people.import.queued' : 'people.import.running', {
          done: job.progress.done,
          of: job.progress.of,
        })}
      </label>
      <progress id={`${id}-p`} value={job.progress.done} max={Math.max(job.progress.of, 1)} />
    </div>
  );
}

/** The file's rows, each with what was said of it in a cell of its own, first after the row's number. */
function RowsTable({
  file,
  notes,
  caption,
  problems,
}: {
  file: ChosenFile;
  notes: RowNotes;
  caption: string;
  problems: boolean;
}) {
  const { t } = useTranslation();
  const shown = rowsToShow(file.rows.length, new Set(notes.rows.keys()));
  return (
    <>
      <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
        <table className="rows">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('people.import.row')}</th>
              <th scope="col">{problems ? t('people.import.problem') : t('people.import.outcome')}</th>
              {file.header.map((h, i) => (
                <th scope="col" key={i}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((r) => {
              const record = file.rows[r]!;
              const said = notes.rows.get(r);
              return (
                <tr key={r} className={said && problems ? 'bad' : undefined}>
                  <th scope="row">{record.sheetRow}</th>
                  <td className="note">
                    {said?.map((m) => (
                      <p key={m}>{m}</p>
                    ))}
                  </td>
                  {file.header.map((_, i) => (
                    <td key={i}>{record.cells[i]}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown.of > 0 && <p className="hint">{t('people.import.moreRows', { count: shown.of })}</p>}
    </>
  );
}
