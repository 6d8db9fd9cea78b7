export {
  createTransitionNotifier,
  describeTransition,
  servingHealthTabPath,
} from './createTransitionNotifier';
export type {
  NotifiedEntity,
  TransitionNotifier,
} from './createTransitionNotifier';
