'use client';
/** Top navigation; links keep the period and sensors, so switching views keeps the slice. */
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { hostSearchTarget } from '@/lib/url-state/host-search';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/ports', label: 'Ports' },
  { href: '/countries', label: 'Countries' },
  { href: '/hosts', label: 'Hosts' },
  { href: '/anomalies', label: 'Anomalies' },
];

const CARRIED = ['from', 'to', 'sensors'];

export function carriedQuery(params: URLSearchParams): string {
  const qs = new URLSearchParams();
  for (const k of CARRIED) {
    const v = params.get(k);
    if (v) qs.set(k, v);
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export function Nav() {
  const pathname = usePathname();
  const params = useSearchParams();
  const router = useRouter();
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  const carried = carriedQuery(new URLSearchParams(params.toString()));

  function search(e: FormEvent) {
    e.preventDefault();
    const target = hostSearchTarget(q, new URLSearchParams(params.toString()));
    if (!target) {
      setError('Enter an IP address, a prefix (203.0.113.0/24) or an AS number (AS4134)');
      return;
    }
    setError(null);
    router.push(target);
  }

  return (
    <header className="topbar">
      <nav className="topnav" aria-label="Views">
        <Link href={`/${carried}`} className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Scanline
        </Link>
        {LINKS.map((l) => {
          const active = l.href === '/' ? pathname === '/' : pathname.startsWith(l.href);
          return (
            <Link
              key={l.href}
              href={`${l.href}${carried}`}
              className={active ? 'active' : undefined}
              aria-current={active ? 'page' : undefined}
            >
              {l.label}
            </Link>
          );
        })}
      </nav>
      <form className="search" aria-label="Search hosts" onSubmit={search}>
        <input
          type="search"
          name="q"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="IP, prefix or AS number"
          aria-label="Search hosts by address, prefix or AS"
          aria-invalid={error ? true : undefined}
          title={error ?? undefined}
        />
        <button type="submit" className="btn btn-small">
          Search
        </button>
      </form>
    </header>
  );
}
