import { desc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './db/schema';

export interface Env {
  DB: D1Database;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const db = drizzle(env.DB, { schema });
    const url = new URL(request.url);

    if (url.pathname === '/users') {
      const rows = await db.select().from(schema.users).orderBy(desc(schema.users.createdAt)).limit(50);
      return Response.json(rows);
    }

    const match = /^\/users\/(\d+)$/.exec(url.pathname);
    if (match) {
      const user = await db.query.users.findFirst({ where: eq(schema.users.id, Number(match[1])) });
      return user ? Response.json(user) : new Response('Not found', { status: 404 });
    }

    return new Response('Try /users or /users/:id\n', { headers: { 'content-type': 'text/plain' } });
  },
} satisfies ExportedHandler<Env>;
