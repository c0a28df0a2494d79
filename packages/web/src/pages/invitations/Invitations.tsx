/**
 * Invitations for guardians to sign in (admins): a class's guardians (`?grade=&homeroom=`)
 * with their children, whether they have signed in, and their invitation — its link and QR
 * code while it can be used. The admin invites those of the class not yet invited (or one
 * again: a new link replaces the old), ends a guardian's sessions (a lost phone), and prints
 * the sheet: one slip per guardian with the QR code, to hand out.
 */
import '../people/people.css';
import './invitations.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf } from '../../api/client';
import { readProblem } from '../../api/problem';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { ClassChoice } from '../family/ClassChoice';
import type { InvitationSheet } from '../family/types';
import { idempotencyKeys } from '../family/values';
import { Confirm } from '../people/Confirm';
import { QrCode } from '../QrCode';

export default function Invitations({ ctx }: PageProps) {
  const { t } = useTranslation();
  const school = ctx.school!;
  const query = new URLSearchParams(useSearch());
  const asked = { grade: query.get('grade') ?? '', homeroom: query.get('homeroom') ?? '' };
  return (
    <Page title={t('family.invitations.title')}>
      <p className="no-print">{t('family.invitations.about')}</p>
      <ClassChoice
        id="invitations"
        schoolId={school.id}
        path={PATHS.invitations}
        asked={asked}
        submit={t('family.invitations.show')}
      />
      {asked.grade && asked.homeroom ? (
        <Sheet schoolId={school.id} zone={zoneOf(school)} grade={Number(asked.grade)} homeroom={asked.homeroom} />
      ) : (
        <p>{t('family.invitations.choose')}</p>
      )}
    </Page>
  );
}

function Sheet({ schoolId, zone, grade, homeroom }: { schoolId: string; zone: string; grade: number; homeroom: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const key = ['invitations', schoolId, grade, homeroom];
  const sheet = useQuery({
    queryKey: key,
    queryFn: () =>
      data(api().GET('/schools/{schoolId}/invitations', { params: { path: { schoolId }, query: { grade, homeroom } } })),
  });
  const [keyFor] = useState(() => idempotencyKeys());
  const [said, setSaid] = useState('');
  const [failed, setFailed] = useState('');
  const invite = async (
    body: { scope: 'homeroom'; grade: number; homeroom: string } | { scope: 'guardian'; guardianId: string },
  ) => {
    setSaid('');
    setFailed('');
    const out = await api().POST('/schools/{schoolId}/invitations', {
      params: { path: { schoolId }, header: { 'Idempotency-Key': keyFor(body) } },
      body,
    });
    if (!out.data) return setFailed(readProblem(out.response.status, out.error).detail);
    setSaid(t('family.invitations.made', { made: out.data.items.length, skipped: out.data.skipped }));
    await queries.invalidateQueries({ queryKey: key });
  };
  if (sheet.error) return <LoadError error={sheet.error} />;
  if (!sheet.data) return <Loading />;
  const s: InvitationSheet = sheet.data;
  return (
    <section className="invitation-sheet print-sheet" aria-labelledby="sheet-title">
      <h2 id="sheet-title">{t('family.invitations.of', { school: s.schoolName, grade: s.grade, homeroom: s.homeroom })}</h2>
      <div className="actions no-print">
        <button type="button" className="primary" onClick={() => void invite({ scope: 'homeroom', grade, homeroom })}>
          {t('family.invitations.inviteClass')}
        </button>
        <button type="button" onClick={() => window.print()}>
          {t('family.dismissal.print')}
        </button>
      </div>
      <p role="status" className="form-saved no-print">
        {said}
      </p>
      <p role="alert" className="error no-print">
        {failed}
      </p>
      {s.items.length === 0 ? (
        <p>{t('family.invitations.none')}</p>
      ) : (
        <ul className="plain slips">
          {s.items.map((g) => (
            <Slip
              key={g.guardianId}
              g={g}
              schoolId={schoolId}
              zone={zone}
              onInvite={() => void invite({ scope: 'guardian', guardianId: g.guardianId })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function Slip({
  g,
  schoolId,
  zone,
  onInvite,
}: {
  g: InvitationSheet['items'][number];
  schoolId: string;
  zone: string;
  onInvite: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [said, setSaid] = useState('');
  const inv = g.invitation;
  const children = g.children.map((c) => t('family.child', { name: c.name, no: c.studentNo })).join(t('listSeparator'));
  const revoke = async () => {
    const out = await api().POST('/schools/{schoolId}/guardians/{guardianId}/sessions/revoke', {
      params: { path: { schoolId, guardianId: g.guardianId } },
    });
    setSaid(
      out.data
        ? t('family.invitations.revoked', { count: out.data.revoked })
        : readProblem(out.response.status, out.error).detail,
    );
    void queries.invalidateQueries({ queryKey: ['invitations', schoolId] });
  };
  const headingId = `slip-${g.guardianId}`;
  return (
    <li className={`card slip${inv?.url ? '' : ' no-print'}`} aria-labelledby={headingId}>
      <h3 id={headingId}>
        {g.guardianName}（{t(`people.relation.${g.relation}`)}）
      </h3>
      <p>{children}</p>
      <p className="no-print">
        {g.signedIn ? t('family.invitations.signedIn') : t('family.invitations.notSignedIn')}
        {inv && ` · ${t(`family.invitations.state.${inv.state}`)}`}
      </p>
      {inv?.url ? (
        <>
          <QrCode text={inv.url} label={t('family.invitations.qr', { name: g.guardianName })} />
          <p className="slip-url">
            <a href={inv.url}>{inv.url}</a>
          </p>
          <p className="hint">
            {t(inv.confirmBy === 'sms-code' ? 'family.invitations.howSms' : 'family.invitations.howDigits')}{' '}
            {t('family.invitations.until', { when: formatInstant(inv.expiresAt, zone, i18n.language) })}
          </p>
        </>
      ) : null}
      <div className="actions no-print">
        <button type="button" onClick={onInvite}>
          {t(inv ? 'family.invitations.again' : 'family.invitations.invite')}
        </button>
        {g.signedIn && (
          <>
            <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>
              {t('family.invitations.revoke')}
            </button>
            <Confirm
              dialog={dialog}
              title={t('family.invitations.revokeTitle', { name: g.guardianName })}
              action={t('family.invitations.revoke')}
              onConfirm={() => void revoke()}
            >
              <p>{t('family.invitations.revokeText')}</p>
            </Confirm>
          </>
        )}
      </div>
      <p role="status" className="no-print">
        {said}
      </p>
    </li>
  );
}
