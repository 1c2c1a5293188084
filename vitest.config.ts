import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Nest's injection reads the constructor types that TypeScript's decorator metadata records.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    globals: true,
    environment: 'node',
    include: ['src/**/*.spec.ts', 'test/client/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    // Several instances share codes and limits only through Redis: that suite needs REDIS_URL.
    exclude: [
      '**/node_modules/**',
      ...(process.env.REDIS_URL ? [] : ['test/instances.e2e-spec.ts', 'test/accounts-v2-instances.e2e-spec.ts']),
      // Cutting MariaDB and Redis away needs both (CI's second pass).
      ...(process.env.REDIS_URL && process.env.DATABASE_URL?.startsWith('mysql') ? [] : ['test/faults-services.e2e-spec.ts']),
    ],
    // e2e files share one database when DATABASE_URL points at MariaDB: one file at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
