/** The compute worker: the API of `computeApi.ts`, exposed to the page through Comlink. */
import { expose } from 'comlink';
import { api } from './computeApi';

expose(api);
