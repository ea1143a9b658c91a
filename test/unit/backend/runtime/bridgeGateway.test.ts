import assert from 'node:assert/strict';
import type os from 'node:os';
import type Docker from 'dockerode';
import { gatewayOf, waitForBridgeGateway, BridgeGatewayError, type BridgeNetwork } from '../../../../backend/runtime/docker/bridgeGateway';
import { DockerDriver, loadDockerConfig } from '../../../../backend/runtime/docker';

const v4 = (address: string): os.NetworkInterfaceInfo =>
  ({ address, family: 'IPv4', netmask: '255.255.0.0', mac: '02:42:00:00:00:00', internal: false, cidr: `${address}/16` });
const v6 = (address: string): os.NetworkInterfaceInfo =>
  ({ address, family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', mac: '02:42:00:00:00:00', internal: false, cidr: `${address}/64`, scopeid: 0 });

/** A fake clock: sleep advances it, so a bounded wait is checked without waiting. */
function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => { t += ms; } };
}

/** Answers the inspects in order, repeating the last one. */
function sequence(...answers: BridgeNetwork[]) {
  let calls = 0;
  const inspect = async () => answers[Math.min(calls++, answers.length - 1)]!;
  return { inspect, calls: () => calls };
}

const FRESH: BridgeNetwork = { IPAM: { Config: [] }, Options: {} };
const READY: BridgeNetwork = { IPAM: { Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] } };

describe('docker: the default bridge gateway (the host address containers reach)', () => {
  it('takes IPAM\'s IPv4 Gateway, skipping an IPv6 one', () => {
    assert.equal(gatewayOf(READY, {}), '172.17.0.1');
    assert.equal(gatewayOf({ IPAM: { Config: [{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }, { Subnet: '10.9.0.0/24', Gateway: '10.9.0.1' }] } }, {}), '10.9.0.1');
  });

  it('without a reported Gateway, derives it from the bridge\'s host interface inside the subnet', () => {
    const ifaces = { docker0: [v6('fe80::1'), v4('172.17.0.1')], br0: [v4('10.1.0.1')] };
    assert.equal(gatewayOf({ IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } }, ifaces), '172.17.0.1');
    assert.equal(gatewayOf({ IPAM: { Config: null }, Options: null }, ifaces), '172.17.0.1', 'no config at all: docker0\'s address');
    assert.equal(gatewayOf({ IPAM: { Config: [] }, Options: { 'com.docker.network.bridge.name': 'br0' } }, ifaces), '10.1.0.1', 'the bridge named in the options');
    assert.equal(gatewayOf({ IPAM: { Config: [{ Subnet: '192.168.5.0/24' }] } }, ifaces), undefined, 'an address outside the subnet is not it');
    assert.equal(gatewayOf(FRESH, {}), undefined);
  });

  it('waits for a freshly started engine to fill in the gateway', async () => {
    const c = clock();
    const s = sequence(FRESH, FRESH, READY);
    assert.equal(await waitForBridgeGateway(s.inspect, { ...c, interfaces: () => ({}) }), '172.17.0.1');
    assert.equal(s.calls(), 3);
    assert.equal(c.now(), 500, 'two waits of 250 ms');
  });

  it('never resolves to undefined: a bridge without a gateway fails after the bound, saying what to set', async () => {
    const c = clock();
    const s = sequence(FRESH);
    await assert.rejects(waitForBridgeGateway(s.inspect, { ...c, interfaces: () => ({}), timeoutMs: 2000 }), (err: Error) => {
      assert.ok(err instanceof BridgeGatewayError);
      assert.match(err.message, /no IPv4 gateway after 2 s .*no IPv4 address on docker0.*HANGAR_WEBHOOK_URL/);
      return true;
    });
    assert.equal(s.calls(), 9, 'asked at 0, 250, ..., 2000 ms');
  });

  it('an engine that cannot be asked fails at once (no waiting on a dead socket)', async () => {
    let calls = 0;
    const inspect = async (): Promise<BridgeNetwork> => { calls++; throw Object.assign(new Error('connect ECONNREFUSED /tmp/x.sock'), { code: 'ECONNREFUSED' }); };
    await assert.rejects(waitForBridgeGateway(inspect, clock()), /cannot read docker's default bridge network: connect ECONNREFUSED/);
    assert.equal(calls, 1);
  });

  it('DockerDriver.hostGatewayIp: waits on a local engine, none for a remote one', async () => {
    const s = sequence(FRESH, READY);
    const docker = { getNetwork: (name: string) => ({ inspect: () => { assert.equal(name, 'bridge'); return s.inspect(); } }) } as unknown as Docker;
    const local = new DockerDriver(loadDockerConfig({ DOCKER_HOST: 'unix:///tmp/none.sock' }), docker, { ...clock(), interfaces: () => ({}) });
    assert.equal(await local.hostGatewayIp(), '172.17.0.1');
    assert.equal(s.calls(), 2);
    const remote = new DockerDriver(loadDockerConfig({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }), docker);
    assert.equal(await remote.hostGatewayIp(), undefined);
    assert.equal(s.calls(), 2, 'a remote engine\'s bridge is not asked');
    const empty = new DockerDriver(loadDockerConfig({ DOCKER_HOST: 'unix:///tmp/none.sock' }),
      { getNetwork: () => ({ inspect: async () => FRESH }) } as unknown as Docker, { ...clock(), interfaces: () => ({}) });
    await assert.rejects(empty.hostGatewayIp(), BridgeGatewayError);
  });
});
