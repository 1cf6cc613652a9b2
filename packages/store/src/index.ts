export {createStore} from './createStore';
export type * from './types';
