import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../../../backend/runtime/secretBox';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips with a versioned format that does not contain the secret', () => {
    const sealed = box.seal('hunter2', 'project:p1:opencode_password');
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes('hunter2'));
    assert.equal(box.open(sealed, 'project:p1:opencode_password'), 'hunter2');
    assert.notEqual(box.seal('hunter2', 'x'), box.seal('hunter2', 'x'), 'a fresh IV each time');
  });

  it('refuses another context, another key, tampering and unknown versions without echoing the value', () => {
    const sealed = box.seal('hunter2', 'project:p1:opencode_password');
    assert.throws(() => box.open(sealed, 'project:p2:opencode_password'), /cannot decrypt project:p2:opencode_password/);
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'project:p1:opencode_password'), /wrong encryption key or tampered/);
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 0x01; // flip one bit: always a change, whatever the random ciphertext is
    parts[3] = data.toString('base64url');
    assert.throws(() => box.open(parts.join('.'), 'project:p1:opencode_password'), (e: Error) => !e.message.includes('hunter2'));
    assert.throws(() => box.open('v9.a.b.c', 'x'), /unsupported secret format "v9"/);
  });
});
