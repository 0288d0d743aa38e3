import type { JSX, ReactNode } from 'react';
import { NO_DATA } from '../lib/format';

interface PanelProps {
  title: string;
  /** Grid area and modifiers. */
  className: string;
  testId?: string;
  children: ReactNode;
}

export function Panel({ title, className, testId, children }: PanelProps): JSX.Element {
  return (
    <section className={`panel ${className}`} data-testid={testId}>
      <h2 className="panel__title">{title}</h2>
      <div className="panel__body">{children}</div>
    </section>
  );
}

/** What a chart shows before its first record. */
export function NoData(): JSX.Element {
  return <div className="panel__empty">{NO_DATA}</div>;
}
