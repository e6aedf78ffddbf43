import { useCallback, useEffect, useState } from 'react';
import type { FaceView, Person } from '../../../shared/people';
import { PERSON_NAME_MAX } from '../../../shared/people';
import { call, errorMessage } from '../api/client';
import { FaceCrop } from '../components/FaceCrop';
import { plural } from '../lib/format';
import { useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { useSelection } from '../stores/selection';
import { useUi } from '../stores/ui';
import { ViewDialog } from '../components/ViewDialog';

const notify = (m: string, tone?: 'error') => useUi.getState().notify(m, tone ? { tone } : {});
const label = (p: Person) => p.name ?? `Unnamed ${p.id}`;

/** The name of a cluster, edited in place: Enter saves (an empty name clears it), Esc puts it back. */
function NameField({ person, onSaved }: { person: Person; onSaved(): void }) {
  const [value, setValue] = useState(person.name ?? '');
  useEffect(() => setValue(person.name ?? ''), [person.name]);
  const save = async () => {
    const name = value.trim();
    if (name === (person.name ?? '')) return;
    try {
      await call('people.name', { id: person.id, name: name || null });
      notify(name ? `Named “${name}”` : 'Name cleared');
      onSaved();
    } catch (err) {
      notify(errorMessage(err), 'error');
    }
  };
  return (
    <input
      className="person-name"
      type="text"
      value={value}
      maxLength={PERSON_NAME_MAX}
      placeholder="Add a name"
      aria-label={`Name of ${label(person)}`}
      onChange={(e) => setValue(e.target.value)}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') {
          e.preventDefault();
          void save();
        } else if (e.key === 'Escape') {
          e.preventDefault();
          setValue(person.name ?? '');
        }
      }}
    />
  );
}

/** One cluster: its best face, its name (editable), its counts; a drop target for merging another onto it. */
function PersonCard({
  person,
  open,
  picked,
  onOpen,
  onPick,
  onDropPerson,
  onSaved,
}: {
  person: Person;
  open: boolean;
  picked: boolean;
  onOpen(): void;
  onPick(on: boolean): void;
  onDropPerson(from: number): void;
  onSaved(): void;
}) {
  const [over, setOver] = useState(false);
  // Naming and merging are a contributor's; a viewer browses the people only.
  const mayEdit = useAllowed('people.name');
  return (
    <li
      className={`person-card${open ? ' open' : ''}${picked ? ' picked' : ''}${over ? ' drop' : ''}`}
      aria-label={label(person)}
      draggable={mayEdit}
      onDragStart={(e) => {
        e.dataTransfer.setData('application/x-tessera-person', String(person.id));
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!mayEdit || !e.dataTransfer.types.includes('application/x-tessera-person')) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const from = Number(e.dataTransfer.getData('application/x-tessera-person'));
        if (Number.isInteger(from) && from > 0 && from !== person.id) {
          e.preventDefault();
          onDropPerson(from);
        }
      }}
    >
      <button
        type="button"
        className="person-face"
        aria-pressed={open}
        aria-label={`Show the faces of ${label(person)}`}
        title={`Show the faces of ${label(person)}`}
        onClick={onOpen}
      >
        {person.sampleAssetId !== null && person.sampleFaceId !== null ? (
          <SampleCrop person={person} />
        ) : (
          <span className="face-crop face-crop-missing" />
        )}
      </button>
      {mayEdit ? (
        <NameField person={person} onSaved={onSaved} />
      ) : (
        <span className="person-name">{person.name ?? ''}</span>
      )}
      <span className="person-counts muted">
        {plural(person.faces, 'face')} · {plural(person.assets, 'picture')}
      </span>
      {mayEdit && (
        <label className="person-pick">
          <input type="checkbox" checked={picked} onChange={(e) => onPick(e.target.checked)} /> Select
        </label>
      )}
    </li>
  );
}

/** The sample face's box is not in the person row: it is asked for once per card. */
function SampleCrop({ person }: { person: Person }) {
  const [face, setFace] = useState<FaceView | null>(null);
  useEffect(() => {
    let live = true;
    call('people.faces', { personId: person.id })
      .then((faces) => live && setFace(faces.find((f) => f.id === person.sampleFaceId) ?? faces[0] ?? null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [person.id, person.sampleFaceId, person.faces]);
  if (!face) return <span className="face-crop" style={{ width: 112, height: 112 }} />;
  return <FaceCrop assetId={face.assetId} box={face.box} size={112} alt={`Face of ${label(person)}`} />;
}

/** Opens the picture a face is in, in the loupe (the library shows that person's pictures). */
async function openAsset(face: FaceView): Promise<void> {
  const lib = useLibrary.getState();
  const queries = face.name && !face.name.includes('"') ? [`person:"${face.name}"`, ''] : [''];
  for (const query of queries) {
    useLibrary.setState({ query });
    await useLibrary.getState().refresh(true);
    const ids = useLibrary.getState().ids;
    const at = ids.indexOf(face.assetId);
    if (at >= 0) {
      useSelection.getState().click(ids, at);
      useUi.getState().set({ peopleOpen: false, loupeOpen: true });
      return;
    }
  }
  notify(`That picture is not in the library view (${lib.query || 'all'})`, 'error');
}

/**
 * People: clusters of faces as cards (named first), each with its best face and counts. Name one in
 * place (Enter), merge by dragging a card onto another or by selecting two and Merge, open one to
 * see its faces: open a face's picture, take a face out (Not this person) or drop it (Not a face).
 */
export function PeopleView() {
  const [people, setPeople] = useState<Person[] | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  // Faces with the person they were fetched for: opening another person must not show the last
  // one's faces under the new name (a "Not a face" there would drop someone else's face).
  const [loaded, setLoaded] = useState<{ personId: number; faces: FaceView[] | 'failed' } | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const mayEdit = useAllowed('people.name');
  const close = () => useUi.getState().set({ peopleOpen: false });

  const load = useCallback(async () => {
    try {
      const list = await call('people.list', {});
      setPeople(list);
      setPicked((p) => p.filter((id) => list.some((x) => x.id === id)));
      setOpenId((o) => (o !== null && list.some((x) => x.id === o) ? o : null));
    } catch (err) {
      setPeople([]);
      notify(errorMessage(err), 'error');
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (openId === null) return setLoaded(null);
    let live = true;
    call('people.faces', { personId: openId })
      .then((faces) => live && setLoaded({ personId: openId, faces }))
      .catch((err: unknown) => {
        if (!live) return;
        setLoaded({ personId: openId, faces: 'failed' });
        notify(errorMessage(err), 'error');
      });
    return () => {
      live = false;
    };
  }, [openId, people]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    if (busy) return;
    setBusy(true);
    try {
      await what();
      notify(done);
      void useLibrary.getState().refresh();
      await load();
    } catch (err) {
      notify(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const byId = (id: number) => people?.find((p) => p.id === id);
  const merge = (into: number, from: number) => {
    const a = byId(into);
    const b = byId(from);
    if (!a || !b) return;
    void act(
      async () => {
        await call('people.merge', { into, from });
        setPicked([]);
        setOpenId(into);
      },
      `Merged ${label(b)} into ${label(a)}`,
    );
  };
  const open = openId !== null ? byId(openId) : undefined;
  // A reload of the same person keeps its faces on screen until the new list comes.
  const shown = loaded !== null && loaded.personId === openId ? loaded.faces : null;
  const faces = Array.isArray(shown) ? shown : null;
  const named = people?.filter((p) => p.name).length ?? 0;

  return (
    <ViewDialog
      className="compare people-view"
      title="People"
      closeTitle="Close people (Esc)"
      onClose={close}
      onEscape={() => (openId !== null ? setOpenId(null) : close())}
      summary={
        people === null
          ? 'Loading people…'
          : people.length === 0
            ? 'No faces found yet: tagging finds them (Settings → Tagging)'
            : `${plural(named, 'person', 'people')} named, ${plural(people.length - named, 'unnamed cluster')}`
      }
      tools={
        mayEdit && (
          <button
            type="button"
            className="btn primary"
            disabled={picked.length !== 2 || busy}
            title="Merge the two selected clusters (the first selected keeps its name)"
            onClick={() => merge(picked[0]!, picked[1]!)}
          >
            Merge{picked.length === 2 ? ` ${label(byId(picked[1]!)!)} into ${label(byId(picked[0]!)!)}` : ''}
          </button>
        )
      }
    >
      <div className="people-body">
        <ul className="people-grid" aria-label="People">
          {people?.map((p) => (
            <PersonCard
              key={p.id}
              person={p}
              open={p.id === openId}
              picked={picked.includes(p.id)}
              onOpen={() => setOpenId(p.id === openId ? null : p.id)}
              onPick={(on) =>
                setPicked((cur) =>
                  on ? [...cur.filter((x) => x !== p.id), p.id].slice(-2) : cur.filter((x) => x !== p.id),
                )
              }
              onDropPerson={(from) => merge(p.id, from)}
              onSaved={() => void load().then(() => useLibrary.getState().refresh())}
            />
          ))}
        </ul>
        {open && (
          <section className="person-faces" aria-label={`Faces of ${label(open)}`}>
            <h3>
              {label(open)}{' '}
              <span className="muted">
                {shown === 'failed'
                  ? 'Faces could not be loaded'
                  : faces === null
                    ? 'Loading…'
                    : plural(faces.length, 'face')}
              </span>
            </h3>
            <ul aria-busy={shown === null}>
              {(faces ?? []).map((f) => (
                <li key={f.id} className="person-face-item">
                  <button
                    type="button"
                    className="person-face"
                    aria-label="Open this picture"
                    title="Open this picture"
                    onClick={() => void openAsset(f)}
                  >
                    <FaceCrop
                      assetId={f.assetId}
                      box={f.box}
                      size={96}
                      alt={`Face ${f.id} of ${label(open)}`}
                    />
                  </button>
                  {mayEdit && (
                    <div className="person-face-actions">
                      <button
                        type="button"
                        className="btn small"
                        disabled={busy}
                        title="This face is someone else: it gets a cluster of its own"
                        onClick={() =>
                          void act(
                            () => call('people.split', { faceId: f.id }),
                            'Face moved to a cluster of its own',
                          )
                        }
                      >
                        Not this person
                      </button>
                      <button
                        type="button"
                        className="btn small danger"
                        disabled={busy}
                        title="Not a face: removed, and never detected again"
                        onClick={() =>
                          void act(() => call('people.removeFace', { faceId: f.id }), 'Face removed')
                        }
                      >
                        Not a face
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </ViewDialog>
  );
}
