/**
 * The length of a lesson link: with the iris data embedded as a table (what a painted or small
 * imported data set costs), and with the bundled sample named instead.
 *   BENCH lesson_link_chars_iris <characters>
 *   BENCH lesson_link_chars_sample <characters>
 */
import { readFileSync } from 'node:fs';
import { LESSON_FORMAT, lessonLink, type Lesson } from '../../src/core/export/lesson';

const base: Omit<Lesson, 'data'> = {
  format: LESSON_FORMAT,
  formatVersion: 1,
  title: 'Decision trees and overfitting',
  task: 'Train a decision tree, then find the depth where the hold-out score stops improving.',
  screens: ['data', 'train', 'models'],
};
const csv = readFileSync('public/samples/iris.csv', 'utf8');
const path = '#/lesson/';
const table = await lessonLink({
  ...base,
  data: { kind: 'table', name: 'Iris', target: 'species', csv },
});
const sample = await lessonLink({ ...base, data: { kind: 'sample', id: 'iris' } });
console.log(
  `BENCH lesson_link_chars_iris ${table.length + path.length} characters (the fragment; the page's address comes before it)`,
);
console.log(`BENCH lesson_link_chars_sample ${sample.length + path.length} characters`);
