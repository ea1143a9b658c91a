import assert from 'node:assert/strict';
import { filterCommands, pickCommand, slashAtCursor } from '../../../../../webviews/chat/mentions/slash';
import { commandCall, commandsFrom } from '../../../../../extension/chat/agentCatalog';

describe('chat slash commands', () => {
  it('opens only while the cursor is in a name typed at the very start', () => {
    assert.deepEqual(slashAtCursor('/', 1), { query: '' });
    assert.deepEqual(slashAtCursor('/rev', 4), { query: 'rev' });
    assert.equal(slashAtCursor('/review src', 11), null, 'past the name: arguments');
    assert.equal(slashAtCursor('see /init', 9), null);
    assert.equal(slashAtCursor('', 0), null);
  });

  it('filters by name prefix first, then by name or description containing the text', () => {
    const cmds = [{ name: 'init', description: 'create AGENTS.md' }, { name: 'review' }, { name: 'prereview' }, { name: 'x', description: 'a review' }];
    assert.deepEqual(filterCommands(cmds, 'rev').map((c) => c.name), ['review', 'prereview', 'x']);
    assert.deepEqual(filterCommands(cmds, '').map((c) => c.name), ['init', 'review', 'prereview', 'x']);
    assert.deepEqual(filterCommands(cmds, 'AGENTS').map((c) => c.name), ['init']);
  });

  it('picking keeps what followed the name as the arguments', () => {
    assert.deepEqual(pickCommand('/re', 'review'), { text: '/review ', cursor: 8 });
    assert.deepEqual(pickCommand('/re src/a.ts', 'review'), { text: '/review src/a.ts', cursor: 8 });
  });

  it('reads GET /command and sends only names the agent has', () => {
    const commands = commandsFrom([{ name: 'b', template: 'x' }, { name: 'a', description: 'A' }, { name: 'a' }, 'junk', { name: '' }]);
    assert.deepEqual(commands, [{ name: 'a', description: 'A' }, { name: 'b' }]);
    assert.deepEqual(commandsFrom({ not: 'a list' }), []);
    assert.deepEqual(commandCall('/b  some args\nmore', commands), { command: 'b', arguments: 'some args\nmore' });
    assert.deepEqual(commandCall('/a', commands), { command: 'a', arguments: '' });
    assert.equal(commandCall('/c x', commands), undefined);
    assert.equal(commandCall('b x', commands), undefined);
  });
});
