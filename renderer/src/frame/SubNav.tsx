import type { ReactNode } from 'react';

interface SubNavProps<Id extends string> {
  /** The area's name: the navigation landmark is called by it. */
  label: string;
  views: readonly { id: Id; label: string }[];
  current: Id | undefined;
  onChoose(id: Id): void;
  /** Something to show after a view's name (a count of what is due). */
  after?(id: Id): ReactNode;
}

/** An area's pages, side by side under its title; the one shown is the current page. */
export function SubNav<Id extends string>({ label, views, current, onChoose, after }: SubNavProps<Id>) {
  return (
    <nav aria-label={label} className="subnav">
      {views.map((view) => (
        <button
          key={view.id}
          type="button"
          className="subnav-item"
          aria-current={view.id === current ? 'page' : undefined}
          onClick={() => onChoose(view.id)}
        >
          {view.label}
          {after?.(view.id)}
        </button>
      ))}
    </nav>
  );
}
