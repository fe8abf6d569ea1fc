/** Country names for ISO 3166 alpha-2 codes (English, short forms where common). */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';

countries.registerLocale(en);

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
  return OVERRIDES[cc] ?? countries.getName(cc, 'en', { select: 'alias' }) ?? cc;
}

/** A flag emoji for a code ('' for non-country codes such as ZZ). */
export function countryFlag(cc: string): string {
  if (!/^[A-Z]{2}$/.test(cc) || cc === 'ZZ' || cc === 'EU' || cc === 'AP') return '';
  return String.fromCodePoint(...[...cc].map((ch) => 0x1f1e6 + ch.charCodeAt(0) - 65));
}

/** ISO numeric ('643') to alpha-2 ('RU'), or undefined. */
export function numericToAlpha2(id: string): string | undefined {
  return countries.numericToAlpha2(id);
}
