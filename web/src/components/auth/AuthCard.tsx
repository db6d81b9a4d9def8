import type { ReactNode } from 'react';
import { useStore } from '../../state/store';

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const siteName = useStore((s) => s.config.SiteName) || 'Utmost';
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="auth-brand" aria-hidden="true">{siteName}</p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
