/**
 * Country names for ISO 3166 alpha-2 codes (English, short forms where common), read
 * straight from i18n-iso-countries' English table: the package's entry point also
 * bundles every code table and a diacritics library (~9 KB gzipped in every view).
 */
import en from 'i18n-iso-countries/langs/en.json';

const NAMES = (en as { countries: Record<string, string | string[]> }).countries;

const OVERRIDES: Record<string, string> = {
  NL: 'Netherlands',
  GB: 'United Kingdom',
  KR: 'South Korea',
  KP: 'North Korea',
  ZZ: 'Unknown',
  EU: 'Europe (unspecified)',
  AP: 'Asia-Pacific (unspecified)',
  XK: 'Kosovo',
};

export function countryName(cc: string): string {
  const code = cc.toUpperCase();
  const names = Object.hasOwn(NAMES, code) ? NAMES[code] : undefined;
  // The short form where the table has one (i18n-iso-countries' select: 'alias').
  const name = Array.isArray(names) ? (names[1] ?? names[0]) : names;
  return OVERRIDES[cc] ?? name ?? cc;
}

/** A flag emoji for a code ('' for non-country codes such as ZZ). */
export function countryFlag(cc: string): string {
  if (!/^[A-Z]{2}$/.test(cc) || cc === 'ZZ' || cc === 'EU' || cc === 'AP') return '';
  return String.fromCodePoint(...[...cc].map((ch) => 0x1f1e6 + ch.charCodeAt(0) - 65));
}
