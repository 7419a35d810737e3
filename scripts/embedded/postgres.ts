import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded PostgreSQL of `npm start` without DATABASE_URL: PGlite (PostgreSQL compiled to
 * WebAssembly) persisting to a folder, served over the PostgreSQL wire protocol, so that all
 * code talks to it through `pg` exactly as to a real server.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; host?: string }) {
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, port: options.port, host: options.host ?? '127.0.0.1', maxConnections: 16 });
  await server.start();
  return {
    url: `postgresql://postgres@${options.host ?? '127.0.0.1'}:${options.port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
