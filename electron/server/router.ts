import { adminRouter } from './admin/router';
import { authRouter } from './auth/router';
import { publicProcedure, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  admin: adminRouter,
  system: router({
    /** Which database this app runs on, shown in the frame (offline PGlite or remote). */
    status: publicProcedure.query(({ ctx }) => ctx.backend.status),
  }),
});

export type AppRouter = typeof appRouter;
