import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateRoleCommand, GetRoleCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { DecryptCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchChromium, screenshot, watchForViolations } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * The console in a real browser (Debian's Chromium through playwright-core), against a real server with its audit
 * trail: one administrator's session from sign-in to a denial explained, with the API used beside it as a client
 * application would. Screenshots of every page go to test-output/console/ for people to look at.
 */
describe('the web console in Chromium', { skip: browserAvailable.skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let violations: string[];
  let keyId = '';

  before(async () => {
    server = await startTestServer({ audit: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP });
    page.setDefaultTimeout(10_000);
    violations = watchForViolations(page, server.endpoint);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('signs in with the keyboard alone, and the secret stays in session storage', async () => {
    await page.goto(`${server.endpoint}/console/`);
    await screenshot(page, '01-sign-in');
    await page.getByLabel('Access key ID').focus();
    await page.keyboard.type(server.credentials.accessKeyId);
    await page.keyboard.press('Tab');
    await page.keyboard.type(server.credentials.secretAccessKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Keys', level: 1 }).waitFor();
    const stored = await page.evaluate('({ session: sessionStorage.length, local: localStorage.length, cookies: document.cookie })');
    assert.deepEqual(stored, { session: 1, local: 0, cookies: '' });
  });

  test('creates a key, then adds an alias on its page', async () => {
    await page.getByRole('link', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'Create key', level: 1 }).waitFor();
    await page.getByLabel('Description').fill('console test key');
    await screenshot(page, '03-create-key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const heading = page.getByRole('heading', { name: /^Key [0-9a-f-]{36}$/, level: 1 });
    await heading.waitFor();
    keyId = (await heading.textContent())!.replace(/^Key /, '');
    await page.getByLabel('New alias').fill('console-app');
    await page.getByRole('button', { name: 'Add alias' }).click();
    await page.getByText('Alias alias/console-app added.').waitFor();
    const described = await server.kms().send(new DescribeKeyCommand({ KeyId: 'alias/console-app' }));
    assert.equal(described.KeyMetadata?.KeyId, keyId);
    assert.equal(described.KeyMetadata?.Description, 'console test key');
    await screenshot(page, '04-key-detail');
  });

  test('lists the key with its alias on the keys page', async () => {
    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: keyId });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /alias\/console-app.*Enabled.*SYMMETRIC_DEFAULT.*ENCRYPT_DECRYPT/);
    await screenshot(page, '02-keys');
  });

  test('finds the Encrypt an application made through the API on the audit page', async () => {
    const kms = server.kms();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: 'alias/console-app', Plaintext: Buffer.from('from the app') }));
    await kms.send(new DecryptCommand({ CiphertextBlob }));
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.getByLabel('Lookup attribute').selectOption('EventName');
    await page.getByLabel('Attribute value').fill('Encrypt');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('button', { name: 'Encrypt', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Event detail: Encrypt' }).waitFor();
    const detail = (await page.locator('pre').last().textContent()) ?? '';
    assert.match(detail, new RegExp(keyId));
    assert.doesNotMatch(detail, /from the app/);
    await page.getByRole('button', { name: 'Verify the trail' }).click();
    await page.getByText(/^Ok: the trail is intact/).waitFor();
    await screenshot(page, '05-audit');
  });

  test('disables the key, after which the API refuses Encrypt', async () => {
    await page.goto(`${server.endpoint}/console/#/keys/${keyId}`);
    await page.getByRole('button', { name: 'Disable key' }).click();
    await page.getByText('Disabled', { exact: true }).first().waitFor();
    await assert.rejects(
      server.kms().send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('refused') })),
      (error: Error) => error.name === 'DisabledException',
    );
  });

  test('shows the server\'s refusal of a key policy that would lock the key out', async () => {
    const lockout = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.accountId}:root` }, Action: 'kms:Encrypt', Resource: '*' }],
    }, null, 2);
    const editor = page.getByLabel('Key policy');
    await editor.fill('{ not json');
    assert.equal(await editor.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByRole('button', { name: 'Save key policy' }).isDisabled(), true);
    await editor.fill(lockout);
    await page.getByRole('button', { name: 'Save key policy' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'MalformedPolicyDocumentException' });
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /will not allow you to update the key policy in the future/);
    await screenshot(page, '06-policy-refused');
  });

  test('creates an IAM user whose new secret is shown once, and explains why it may not decrypt', async () => {
    await page.getByRole('link', { name: 'Identities' }).click();
    await page.getByRole('heading', { name: 'Identities', level: 1 }).waitFor();
    await page.getByLabel('User name').fill('console-reader');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'User console-reader' }).waitFor(); // a new user opens at once
    await page.getByRole('button', { name: 'Create access key' }).click();
    await page.getByRole('heading', { name: 'New access key for console-reader' }).waitFor();
    await screenshot(page, '07-identities');
    await page.getByRole('button', { name: 'I have saved it' }).click();

    await page.getByRole('link', { name: 'Why denied?' }).click();
    await page.getByRole('heading', { name: 'Why was this denied?', level: 1 }).waitFor();
    await page.getByLabel('Principal ARN').fill(`arn:aws:iam::${server.accountId}:user/console-reader`);
    await page.getByLabel('Action').fill('kms:Decrypt');
    await page.getByLabel('KMS key').fill(`arn:aws:kms:us-east-1:${server.accountId}:key/${keyId}`);
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByRole('heading', { name: 'Decision' }).waitFor();
    const decision = (await page.locator('main').textContent()) ?? '';
    assert.match(decision, /ImplicitDeny|ExplicitDeny/);
    assert.match(decision, /AccessDeniedException/);
    await screenshot(page, '08-explain');
  });

  test("deactivates and reactivates the user's access key, and edits a role's trust policy", async () => {
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.credentials, maxAttempts: 1 });
    try {
      const statusOf = async () => (await iam.send(new ListAccessKeysCommand({ UserName: 'console-reader' }))).AccessKeyMetadata?.[0];
      const accessKeyId = (await statusOf())?.AccessKeyId ?? '';
      await page.getByRole('link', { name: 'Identities' }).click();
      await page.getByRole('button', { name: 'console-reader', exact: true }).click();
      await page.getByRole('button', { name: `Deactivate access key ${accessKeyId}` }).click();
      await page.getByRole('button', { name: `Activate access key ${accessKeyId}` }).waitFor();
      assert.equal((await statusOf())?.Status, 'Inactive');
      assert.match((await page.getByRole('row').filter({ hasText: accessKeyId }).textContent()) ?? '', /Inactive/);
      await page.getByRole('button', { name: `Activate access key ${accessKeyId}` }).click();
      await page.getByRole('button', { name: `Deactivate access key ${accessKeyId}` }).waitFor();
      assert.equal((await statusOf())?.Status, 'Active');

      const trusting = (principal: string) =>
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
      await iam.send(new CreateRoleCommand({ RoleName: 'console-role', AssumeRolePolicyDocument: trusting(`arn:aws:iam::${server.accountId}:root`) }));
      await page.reload();
      await page.getByRole('button', { name: 'console-role', exact: true }).click();
      await page.getByRole('button', { name: 'Edit trust policy' }).click();
      const edited = trusting(`arn:aws:iam::${server.accountId}:user/console-reader`);
      await page.getByLabel('Trust policy document').fill(edited);
      await page.getByRole('button', { name: 'Save trust policy' }).click();
      await page.getByRole('button', { name: 'Edit trust policy' }).waitFor();
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'console-role' }));
      assert.equal(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''), edited);
      assert.match((await page.getByLabel('Trust policy of console-role').textContent()) ?? '', /user\/console-reader/);
      await screenshot(page, '08b-role-trust-policy');
    } finally {
      iam.destroy();
    }
  });

  test('is readable 390 px wide: no page scrolls sideways', async () => {
    await page.setViewportSize(PHONE);
    for (const [route, name] of [['#/keys', 'keys'], [`#/keys/${keyId}`, 'key-detail'], ['#/audit', 'audit'], ['#/identities', 'identities'], ['#/explain', 'explain']] as const) {
      await page.goto(`${server.endpoint}/console/${route}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
      assert.ok(overflow <= 0, `${route} is ${overflow} px wider than the screen`);
      await screenshot(page, `09-phone-${name}`);
    }
  });

  test('broke no Content-Security-Policy rule, raised no error and asked no other origin', () => {
    assert.deepEqual(violations, []);
  });
});
