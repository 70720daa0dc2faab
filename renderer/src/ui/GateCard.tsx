import type { ReactNode } from 'react';

/** One centred card on a quiet page, headed by the brand and its title: sign-in, lock, first run. */
export function GateCard({
  titleId,
  title,
  variant,
  children,
}: {
  titleId: string;
  title: string;
  variant?: 'locked' | 'wide';
  children: ReactNode;
}) {
  return (
    <div className={variant === 'locked' ? 'gate gate-locked' : 'gate'}>
      <main className={variant === 'wide' ? 'gate-card gate-card-wide' : 'gate-card'} aria-labelledby={titleId}>
        <p className="brand" aria-hidden="true">
          <span className="brand-mark" />
          ClinicDesk
        </p>
        <h1 id={titleId}>{title}</h1>
        {children}
      </main>
    </div>
  );
}
