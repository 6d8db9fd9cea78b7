export { servingHealthPlugin as default } from './plugin';
