import assert from 'node:assert/strict';
import { slugify, uniqueSlug } from '../../../backend/services/slug';

describe('project slugs', () => {
  it('derives hostname-safe slugs', () => {
    assert.equal(slugify('My App!'), 'my-app');
    assert.equal(slugify('  Café  Déjà vu '), 'cafe-deja-vu');
    assert.equal(slugify('!!!'), 'project');
    assert.equal(slugify('a'.repeat(60)).length, 40);
  });
  it('appends the first free number', () => {
    assert.equal(uniqueSlug('app', new Set(['app', 'app-2'])), 'app-3');
    assert.equal(uniqueSlug('app', new Set()), 'app');
  });
});
