'use client';
/** The plotted ports as removable chips, plus a field to add one ('3389/tcp'). */
import { type FormEvent, useState } from 'react';
import { parsePortKey, portKey, portLabel } from '@/lib/api/port-key';

export function PortChips({
  ports,
  onChange,
}: {
  ports: string[];
  onChange: (ports: string[]) => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState(false);
  function add(e: FormEvent) {
    e.preventDefault();
    const p = parsePortKey(text.includes('/') || text.includes('-') ? text : `${text}/tcp`);
    if (!p) {
      setError(true);
      return;
    }
    setError(false);
    setText('');
    const key = portKey(p);
    if (!ports.includes(key)) onChange([...ports, key].slice(0, 10));
  }
  return (
    <div className="chips" data-testid="port-chips">
      {ports.map((k) => {
        const p = parsePortKey(k);
        return (
          <span key={k} className="chip" data-port={k}>
            {p ? portLabel(p) : k}
            <button
              type="button"
              className="chip-x"
              aria-label={`Remove ${k}`}
              onClick={() => onChange(ports.filter((x) => x !== k))}
            >
              ×
            </button>
          </span>
        );
      })}
      <form onSubmit={add} className="chips">
        <input
          type="text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="add port, e.g. 3389/tcp"
          aria-label="Add a port (PORT/PROTO)"
          aria-invalid={error || undefined}
          size={18}
        />
        <button type="submit" className="btn btn-small">
          Add
        </button>
      </form>
    </div>
  );
}
