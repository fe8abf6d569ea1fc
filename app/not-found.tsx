import Link from 'next/link';

export default function NotFound() {
  return (
    <main>
      <h1>Not found</h1>
      <p className="muted">
        No such view. Ports look like <code>/ports/445-tcp</code>, countries like{' '}
        <code>/countries/NZ</code>, hosts like <code>/hosts/203.0.113.7</code>.
      </p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </main>
  );
}
