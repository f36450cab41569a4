/** Collision policies and track stop reasons (closed unions, STYLE §2). */
import * as z from 'zod';

/**
 * What happens to the later of two colliding tracks:
 *  - serialize (default): it waits before its next milestone until the earlier track's task has
 *    landed, then continues on top of the integration branch;
 *  - fail: it stops with `parallel_file_collision`, the files listed;
 *  - force: it runs anyway; the risk is recorded and any conflict shows when it lands.
 */
export const COLLISION_POLICIES = ['serialize', 'fail', 'force'] as const;
export const CollisionPolicySchema = z.enum(COLLISION_POLICIES);
export type CollisionPolicy = z.infer<typeof CollisionPolicySchema>;

/** How a collision was found. */
export const COLLISION_KINDS = [
  /** files_expected / owns of a task against the claims and changes of an active track */
  'claims',
  /** `git merge-tree` of two active track heads after a checkpoint */
  'merge_tree',
  /** `git merge-tree` of a track head against the integration branch after a checkpoint */
  'integration',
] as const;
export const CollisionKindSchema = z.enum(COLLISION_KINDS);
export type CollisionKind = z.infer<typeof CollisionKindSchema>;

/** What the policy did about a collision. `reported`: found, the policy applies at the later track's next milestone. */
export const COLLISION_ACTIONS = ['reported', 'wait', 'stop', 'force'] as const;
export const CollisionActionSchema = z.enum(COLLISION_ACTIONS);
export type CollisionAction = z.infer<typeof CollisionActionSchema>;

/** Why a task did not land (the merge queue). */
export const LAND_FAILURES = ['merge_conflict', 'merge_verification_failed'] as const;
export const LandFailureSchema = z.enum(LAND_FAILURES);
export type LandFailure = z.infer<typeof LandFailureSchema>;
