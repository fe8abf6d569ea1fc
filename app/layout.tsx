import type { Metadata } from 'next';
import { type ReactNode, Suspense } from 'react';
import { Nav } from '@/components/nav';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Scanline', template: '%s · Scanline' },
  description: 'Scan trends seen by a network telescope',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <Suspense fallback={<header className="topbar" />}>
            <Nav />
          </Suspense>
          {children}
          <footer className="site-footer muted small">
            Scanline · darknet telescope daily aggregates · all days and times are UTC
          </footer>
        </Providers>
      </body>
    </html>
  );
}
