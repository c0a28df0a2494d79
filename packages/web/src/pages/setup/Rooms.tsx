/** The school's rooms (admins): name, capacity, building, features; archived rooms get no sessions. */
import { useTranslation } from 'react-i18next';
import { api, zoneOf } from '../../api/client';
import type { paths } from '../../api/schema';
import { Field } from '../../forms/Field';
import type { PageProps } from '../../routes';
import { allPages, RecordEditor, SetupPage, StatusField, Tags, useRecordForm } from './common';
import { foldErrors, itemOf, joinList, splitList, toNumber } from './fields';

type Room = paths['/schools/{schoolId}/rooms/{roomId}']['get']['responses'][200]['content']['application/json'];

const valuesOf = (r: Room | null) => ({
  name: r?.name ?? '',
  capacity: r ? String(r.capacity) : '',
  building: r?.building ?? '',
  features: joinList(r?.features ?? []),
  status: r?.status ?? 'active',
});
type Values = ReturnType<typeof valuesOf>;

const bodyOf = (v: Values) => ({
  name: v.name,
  capacity: toNumber(v.capacity),
  features: splitList(v.features),
  ...(v.building.trim() ? { building: v.building } : {}),
});

export default function Rooms({ ctx }: PageProps) {
  const { t } = useTranslation();
  const schoolId = ctx.school!.id;
  const zone = zoneOf(ctx.school);
  return (
    <SetupPage<Room>
      title={t('setup.rooms.title')}
      intro={t('setup.rooms.intro')}
      newLabel={t('setup.rooms.new')}
      filterLabel={t('setup.rooms.filter')}
      queryKey={['rooms', schoolId]}
      load={() => allPages((query) => api().GET('/schools/{schoolId}/rooms', { params: { path: { schoolId }, query } }))}
      sort={(a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true })}
      nameOf={(r) => r.name}
      matches={(r, text) => [r.name, r.building ?? '', ...r.features].some((s) => s.toLowerCase().includes(text))}
      columns={[
        { label: t('setup.rooms.name'), cell: (r) => r.name },
        { label: t('setup.rooms.capacity'), cell: (r) => r.capacity },
        { label: t('setup.rooms.building'), cell: (r) => r.building ?? '' },
        { label: t('setup.rooms.features'), cell: (r) => <Tags items={r.features} /> },
        { label: t('setup.status.label'), cell: (r) => t(`setup.status.${r.status}`) },
      ]}
      editor={(room, done, cancel) => <RoomForm schoolId={schoolId} zone={zone} room={room} done={done} cancel={cancel} />}
    />
  );
}

function RoomForm({
  schoolId,
  zone,
  room,
  done,
  cancel,
}: {
  schoolId: string;
  zone: string;
  room: Room | null;
  done(message: string): void;
  cancel(): void;
}) {
  const { t } = useTranslation();
  const item = (roomId: string) => ({ params: { path: { schoolId, roomId } } });
  const folded = (v: Values) => itemOf('features', splitList(v.features));
  const rf = useRecordForm(
    'room',
    room,
    valuesOf,
    {
      create: (v, key) =>
        api()
          .POST('/schools/{schoolId}/rooms', {
            params: { path: { schoolId }, header: { 'Idempotency-Key': key } },
            body: bodyOf(v),
          })
          .then((out) => foldErrors(out, folded(v))),
      replace: (v, roomId, version) =>
        api()
          .PUT('/schools/{schoolId}/rooms/{roomId}', {
            ...item(roomId),
            body: { ...bodyOf(v), status: v.status as Room['status'], version },
          })
          .then((out) => foldErrors(out, folded(v))),
      get: (roomId) => api().GET('/schools/{schoolId}/rooms/{roomId}', item(roomId)),
    },
    (r) => done(t('setup.saved', { what: t('setup.rooms.what', { name: r.name }) })),
  );
  const { form, current } = rf;
  const what = t('setup.rooms.what', { name: current?.name ?? '' });
  return (
    <RecordEditor
      title={current ? t('setup.editTitle', { what }) : t('setup.rooms.new')}
      zone={zone}
      rf={rf}
      onBack={cancel}
      deletion={{
        what,
        remove: (r) =>
          api().DELETE('/schools/{schoolId}/rooms/{roomId}', {
            params: { path: { schoolId, roomId: r.id }, query: { version: r.version } },
          }),
        onDeleted: () => done(t('setup.deleted', { what })),
      }}
    >
      <Field form={form} name="name" label={t('setup.rooms.name')} required maxLength={60} />
      <Field
        form={form}
        name="capacity"
        label={t('setup.rooms.capacity')}
        type="number"
        inputMode="numeric"
        min={1}
        max={2000}
        required
      />
      <Field form={form} name="building" label={t('setup.rooms.building')} maxLength={60} />
      <Field
        form={form}
        name="features"
        label={t('setup.rooms.features')}
        hint={t('setup.rooms.featuresHint')}
        autoCapitalize="none"
        spellCheck={false}
      />
      {current && <StatusField form={form} hint={t('setup.rooms.statusHint')} />}
    </RecordEditor>
  );
}
