import { useEffect, useState } from 'react';
import type { FolderNode } from '../../../shared/contract';
import { formatCount } from '../lib/format';
import { folderKey, useLibrary } from '../stores/library';
import { Icon } from './Icon';

export interface FolderTreeProps {
  rootId: number;
  /** The folder whose children this level lists ('' for the root's top level). */
  parent: string;
  /** Path of the folder filter in force, to highlight it. */
  current: string | null;
  onPick(node: FolderNode): void;
  depth?: number;
}

/** Collapsed by default, and each level is fetched when opened: an archive can hold thousands of folders. */
function Folder({
  node,
  current,
  onPick,
  depth,
}: Omit<FolderTreeProps, 'rootId' | 'parent'> & { node: FolderNode; depth: number }) {
  const [open, setOpen] = useState(() => current !== null && current.startsWith(`${node.path}/`));
  return (
    <li>
      <div
        className={`tree-row${current === node.path ? ' current' : ''}`}
        style={{ paddingLeft: 8 + depth * 14 }}
      >
        {node.hasChildren ? (
          <button
            type="button"
            className="twisty"
            aria-label={`${open ? 'Collapse' : 'Expand'} ${node.name}`}
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} />
          </button>
        ) : (
          <span className="twisty" />
        )}
        <button
          type="button"
          className="tree-label"
          title={node.path}
          aria-current={current === node.path ? 'true' : undefined}
          onClick={() => onPick(node)}
        >
          <Icon name="folder" size={14} />
          <span className="tree-name">{node.name}</span>
          <span className="count">{formatCount(node.count)}</span>
        </button>
      </div>
      {open && node.hasChildren && (
        <FolderTree
          rootId={node.rootId}
          parent={node.path}
          current={current}
          onPick={onPick}
          depth={depth + 1}
        />
      )}
    </li>
  );
}

export function FolderTree({ rootId, parent, current, onPick, depth = 0 }: FolderTreeProps) {
  const nodes = useLibrary((s) => s.folders[folderKey(rootId, parent)]);
  useEffect(() => {
    if (!nodes) void useLibrary.getState().loadFolders(rootId, parent);
  }, [nodes, rootId, parent]);
  if (!nodes) {
    return (
      <p className="root-note" style={{ paddingLeft: 8 + depth * 14 }}>
        <span className="spinner" aria-hidden="true" /> Loading folders…
      </p>
    );
  }
  if (nodes.length === 0) return null;
  return (
    <ul className="tree">
      {nodes.map((n) => (
        <Folder key={n.path} node={n} current={current} onPick={onPick} depth={depth} />
      ))}
    </ul>
  );
}
