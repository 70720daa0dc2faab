import { firstClinicInput, type FirstRunView } from '../../../shared/tenants';
import { DomainError } from '../errors';
import { publicProcedure, router } from '../trpc';

const ALREADY_SET_UP = 'This PC already has its clinic. Sign in instead.';

/** The first run of an offline clinic: set up the real clinic, or look around the demo one. */
export const setupRouter = router({
  status: publicProcedure.query(async ({ ctx }): Promise<FirstRunView> => ({
    needed: (await ctx.backend.access.firstRun?.needed()) ?? false,
    demo: ctx.backend.status.demo === true,
  })),

  createClinic: publicProcedure.input(firstClinicInput).mutation(async ({ ctx, input }) => {
    const firstRun = ctx.backend.access.firstRun;
    if (!firstRun || !(await firstRun.needed())) throw new DomainError('CONFLICT', ALREADY_SET_UP);
    await firstRun.createClinic(input);
    return { created: true as const };
  }),

  tryDemo: publicProcedure.mutation(async ({ ctx }) => {
    const firstRun = ctx.backend.access.firstRun;
    if (!ctx.backend.startDemo || !firstRun || !(await firstRun.needed())) throw new DomainError('CONFLICT', ALREADY_SET_UP);
    await ctx.backend.startDemo();
    return { demo: true as const };
  }),
});
