#!/bin/sh
# Stand-in for Prisma's native schema-engine binary, which cannot be downloaded on
# air-gapped hosts. `prisma generate`, `validate` and `format` only check that the file
# exists (and may ask for its version); they never run it for real work. Migrations go
# through prisma/migrate.ts instead (plain SQL files + the wasm schema engine).
if [ "$1" = "--version" ]; then
  echo "schema-engine-cli offline-stub"
  exit 0
fi
echo "scanline: the native Prisma schema engine is not available offline; use 'npx tsx prisma/migrate.ts' (deploy | status | diff | new NAME)" >&2
exit 1
