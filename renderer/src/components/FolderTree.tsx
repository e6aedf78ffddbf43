import { useState } from 'react';
import type { FolderNode } from '../../../shared/contract';
import { formatCount } from '../lib/format';
import { Icon } from './Icon';

export interface FolderTreeProps {
  nodes: FolderNode[];
  /** Path of the folder filter in force, to highlight it. */
  current: string | null;
  onPick(node: FolderNode): void;
  depth?: number;
}

/** Collapsed by default: an archive can hold thousands of folders, and only opened ones render. */
function Folder({
  node,
  current,
  onPick,
  depth,
}: Omit<FolderTreeProps, 'nodes'> & { node: FolderNode; depth: number }) {
  const [open, setOpen] = useState(() => current !== null && current.startsWith(`${node.path}/`));
  const hasChildren = node.children.length > 0;
  return (
    <li>
      <div
        className={`tree-row${current === node.path ? ' current' : ''}`}
        style={{ paddingLeft: 8 + depth * 14 }}
      >
        {hasChildren ? (
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
      {open && hasChildren && (
        <FolderTree nodes={node.children} current={current} onPick={onPick} depth={depth + 1} />
      )}
    </li>
  );
}

export function FolderTree({ nodes, current, onPick, depth = 0 }: FolderTreeProps) {
  if (nodes.length === 0) return null;
  return (
    <ul className="tree">
      {nodes.map((n) => (
        <Folder key={n.path} node={n} current={current} onPick={onPick} depth={depth} />
      ))}
    </ul>
  );
}
