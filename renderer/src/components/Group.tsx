import { useId, type ReactNode } from 'react';

/** A titled part of a panel, labelled by its heading (ids are per instance: the loupe and the inspector both show one). */
export function Group({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="panel-section" aria-labelledby={id}>
      <h3 className="section-title" id={id}>
        {title}
      </h3>
      {children}
    </section>
  );
}
