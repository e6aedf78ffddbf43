import { useEffect, useState } from 'react';
import type { CollectionNode } from '../../../shared/collections';
import { errorMessage } from '../api/client';
import { addToCollection } from '../app/collection-actions';
import { ASSET_DRAG_TYPE, draggedIds } from '../lib/drag';
import { formatCount } from '../lib/format';
import { collectionQuery, useCollections } from '../stores/collections';
import { useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { useUi } from '../stores/ui';
import { Icon } from './Icon';

type Naming = { kind: 'new'; parentId: number | null; smart: boolean } | { kind: 'rename'; id: number };

function NameForm(props: { initial: string; label: string; onDone(name: string | null): void }) {
  const [name, setName] = useState(props.initial);
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onDone(name.trim() || null);
      }}
    >
      <input
        type="text"
        aria-label={props.label}
        value={name}
        autoFocus
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && props.onDone(null)}
      />
      <button type="submit" className="btn small primary">
        Save
      </button>
    </form>
  );
}

/** The collection's context menu (right-click): what is done to a collection as a whole. */
function RowMenu(props: { c: CollectionNode; x: number; y: number; onClose(): void }) {
  return (
    <div
      className="ctx-menu"
      role="menu"
      aria-label={`Collection ${props.c.name}`}
      style={{ left: props.x, top: props.y }}
      onKeyDown={(e) => e.key === 'Escape' && props.onClose()}
    >
      <button
        type="button"
        role="menuitem"
        autoFocus
        onBlur={(e) => !e.currentTarget.parentElement?.contains(e.relatedTarget) && props.onClose()}
        onClick={() => {
          props.onClose();
          useUi.getState().set({ share: { collectionId: props.c.id, label: props.c.path } });
        }}
      >
        Share…
      </button>
    </div>
  );
}

function Row(props: { c: CollectionNode; depth: number; onRename(): void; onAddInside(): void }) {
  const { c } = props;
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const query = useLibrary((s) => s.query);
  const target = useCollections((s) => s.target);
  const [over, setOver] = useState(false);
  // Filling collections is a contributor's; making, renaming and deleting them a contributor's
  // over the whole catalogue; sharing one an approver's. A viewer only opens them.
  const mayFill = useAllowed('collections.addAssets');
  const mayManage = useAllowed('collections.create');
  const mayShare = useAllowed('shares.create');
  const current = query.trim() === collectionQuery(c);
  const smart = c.query !== null;
  const count = `${formatCount(c.count)}${c.countCapped ? '+' : ''}`;
  return (
    <li
      className={`tree-row${current ? ' current' : ''}${over ? ' drop-target' : ''}`}
      style={{ paddingLeft: props.depth * 12 }}
      data-collection={c.path}
      onDragOver={(e) => {
        if (smart || !mayFill || !e.dataTransfer.types.includes(ASSET_DRAG_TYPE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const ids = draggedIds(e.dataTransfer);
        if (smart || !mayFill || ids.length === 0) return;
        e.preventDefault();
        void addToCollection(c.id, ids);
      }}
    >
      <button
        type="button"
        className="tree-label"
        aria-current={current ? 'true' : undefined}
        title={smart ? `Smart collection: ${c.query}` : c.path}
        onClick={() => useLibrary.getState().setQuery(collectionQuery(c))}
        onDoubleClick={mayManage ? props.onRename : undefined}
        onContextMenu={(e) => {
          if (!mayShare) return;
          e.preventDefault();
          setMenu({ x: e.clientX, y: e.clientY });
        }}
      >
        <Icon name={smart ? 'search' : 'layers'} size={14} />
        <span className="tree-name">{c.name}</span>
        {target === c.id && (
          <span className="target-mark" title="Target collection: B adds the selection here">
            <Icon name="pin" size={11} />
          </span>
        )}
        <span className="count" aria-label={`${count} items`}>
          {count}
        </span>
      </button>
      <span className="row-actions">
        {!smart && mayFill && (
          <button
            type="button"
            className={`icon-btn${target === c.id ? ' active' : ''}`}
            aria-label={`Target collection for B: ${c.name}`}
            aria-pressed={target === c.id}
            title="Target collection: B adds the selection here"
            onClick={() => useCollections.getState().setTarget(target === c.id ? null : c.id)}
          >
            <Icon name="pin" size={12} />
          </button>
        )}
        {!smart && mayManage && (
          <button
            type="button"
            className="icon-btn"
            aria-label={`New collection inside ${c.name}`}
            title="New collection inside"
            onClick={props.onAddInside}
          >
            <Icon name="plus" size={12} />
          </button>
        )}
        {mayManage && (
          <button
            type="button"
            className="icon-btn"
            aria-label={`Delete collection ${c.name}`}
            title="Delete collection (its items stay in the library)"
            onClick={() => {
              if (
                window.confirm(
                  `Delete the collection "${c.name}" and the collections inside it? Its items stay in the library.`,
                )
              )
                void useCollections
                  .getState()
                  .remove(c.id)
                  .catch((err: unknown) => useUi.getState().notify(errorMessage(err), { tone: 'error' }));
            }}
          >
            <Icon name="close" size={12} />
          </button>
        )}
      </span>
      {menu && <RowMenu c={c} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />}
    </li>
  );
}

/** Hand-made and smart collections: click to show one, drop items on one, B to add to the target. */
export function CollectionsSection() {
  const list = useCollections((s) => s.list);
  const query = useLibrary((s) => s.query);
  const [naming, setNaming] = useState<Naming | null>(null);
  const mayManage = useAllowed('collections.create');
  useEffect(() => {
    void useCollections.getState().load();
  }, []);
  const notify = useUi.getState().notify;

  const finish = async (name: string | null) => {
    const n = naming;
    setNaming(null);
    if (!n || !name) return;
    try {
      if (n.kind === 'rename') await useCollections.getState().rename(n.id, name);
      else
        await useCollections.getState().create(name, {
          parentId: n.parentId,
          query: n.smart ? query.trim() : null,
        });
    } catch (err) {
      notify(errorMessage(err), { tone: 'error' });
    }
  };

  const rows: { c: CollectionNode; depth: number }[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const c of list.filter((x) => x.parentId === parent).sort((a, b) => a.name.localeCompare(b.name))) {
      rows.push({ c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);

  return (
    <section className="side-section" aria-labelledby="collections-title">
      <div className="side-head">
        <h2 id="collections-title" className="section-title">
          Collections
        </h2>
        {mayManage && query.trim() && (
          <button
            type="button"
            className="icon-btn"
            aria-label="Smart collection from this search"
            title="Smart collection from this search"
            onClick={() => setNaming({ kind: 'new', parentId: null, smart: true })}
          >
            <Icon name="search" size={14} />
          </button>
        )}
        {mayManage && (
          <button
            type="button"
            className="icon-btn"
            aria-label="New collection"
            title="New collection"
            onClick={() => setNaming({ kind: 'new', parentId: null, smart: false })}
          >
            <Icon name="plus" size={14} />
          </button>
        )}
      </div>
      {naming && (
        <NameForm
          key={JSON.stringify(naming)}
          label={naming.kind === 'rename' ? 'New name of the collection' : 'Name of the new collection'}
          initial={naming.kind === 'rename' ? (list.find((c) => c.id === naming.id)?.name ?? '') : ''}
          onDone={(name) => void finish(name)}
        />
      )}
      {rows.length === 0 && !naming ? (
        <p className="side-hint">
          {mayManage
            ? 'Press + to make a collection, then drag items onto it or press B.'
            : 'No collections.'}
        </p>
      ) : (
        <ul className="nav-list" aria-label="Collections">
          {rows.map(({ c, depth }) => (
            <Row
              key={c.id}
              c={c}
              depth={depth}
              onRename={() => setNaming({ kind: 'rename', id: c.id })}
              onAddInside={() => setNaming({ kind: 'new', parentId: c.id, smart: false })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
