/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Native and driver packages stay as runtime imports on the server.
  serverExternalPackages: [
    'better-sqlite3',
    'pg',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    '@resvg/resvg-js',
  ],
  poweredByHeader: false,
};

export default nextConfig;
