import type { Db } from '../db/database';
import type { Updateable } from 'kysely';
import type { ContainerTiersTable } from '../db/schema';
import type { Tier, TierCreate, TierUpdate } from '../contract';
import type { EventHub } from '../events/eventHub';
import { conflict, notFound } from '../errors';

type TierRow = Omit<ContainerTiersTable, 'sort_order'> & { sort_order: number };

/** The tiers every new installation starts with. */
export const SEED_TIERS: TierCreate[] = [
  { id: 'lite', name: 'Lite', description: 'Small tasks and quick questions.', cpus: 1, memory: '2g', memoryReservation: '1g', storageGb: 20, hasDesktopAccess: false, imageType: 'cli', exposedPorts: '4096', isDefault: false },
  { id: 'standard', name: 'Standard', description: 'Everyday development.', cpus: 2, memory: '4g', memoryReservation: '2g', storageGb: 30, hasDesktopAccess: false, imageType: 'cli', exposedPorts: '4096', isDefault: true },
  { id: 'pro', name: 'Pro', description: 'Large repositories, builds and test suites.', cpus: 4, memory: '8g', memoryReservation: '4g', storageGb: 50, hasDesktopAccess: false, imageType: 'cli', exposedPorts: '4096', isDefault: false },
  { id: 'desktop', name: 'Desktop', description: 'A VNC desktop for GUI programs and browsers.', cpus: 8, memory: '16g', memoryReservation: '8g', storageGb: 75, hasDesktopAccess: true, imageType: 'desktop', exposedPorts: '4096,6080', isDefault: false },
];

export class TierService {
  constructor(private readonly db: Db, private readonly hub: EventHub) {}

  async seedIfEmpty(): Promise<boolean> {
    const any = await this.db.selectFrom('container_tiers').select('id').limit(1).executeTakeFirst();
    if (any) return false;
    const now = new Date().toISOString();
    await this.db.insertInto('container_tiers')
      .values(SEED_TIERS.map((t, i) => ({ ...toRow(t, now), sort_order: (i + 1) * 10 })))
      .execute();
    return true;
  }

  async list(includeRetired = false): Promise<Tier[]> {
    let q = this.db.selectFrom('container_tiers').selectAll().orderBy('sort_order').orderBy('id');
    if (!includeRetired) q = q.where('retired', '=', 0);
    const rows = await q.execute();
    const counts = await this.projectCounts();
    return rows.map((r) => toTier(r, counts.get(r.id) ?? 0));
  }

  async get(id: string): Promise<Tier> {
    const row = await this.db.selectFrom('container_tiers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Tier "${id}"`);
    return toTier(row, (await this.projectCounts(id)).get(id) ?? 0);
  }

  async getDefault(): Promise<Tier> {
    const row = await this.db.selectFrom('container_tiers').selectAll().where('is_default', '=', 1).where('retired', '=', 0).executeTakeFirst();
    if (!row) throw notFound('A default tier');
    return toTier(row, (await this.projectCounts(row.id)).get(row.id) ?? 0);
  }

  /** A tier a new or moved project may use: it exists and is not retired. */
  async requireUsable(id: string): Promise<Tier> {
    const tier = await this.get(id).catch(() => { throw conflict('unknown_tier', `There is no tier "${id}". List them with GET /api/container-tiers.`); });
    if (tier.retired) throw conflict('tier_retired', `Tier "${id}" is retired; pick another tier.`);
    return tier;
  }

  async create(input: TierCreate): Promise<Tier> {
    const exists = await this.db.selectFrom('container_tiers').select('id').where('id', '=', input.id).executeTakeFirst();
    if (exists) throw conflict('tier_exists', `A tier "${input.id}" already exists; update it instead.`);
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      if (input.isDefault) await trx.updateTable('container_tiers').set({ is_default: 0 }).execute();
      await trx.insertInto('container_tiers').values(toRow(input, now)).execute();
    });
    return this.changed(input.id);
  }

  async update(id: string, patch: TierUpdate): Promise<Tier> {
    const current = await this.get(id);
    if (patch.retired === true && (patch.isDefault || current.isDefault)) {
      throw conflict('tier_is_default', `Tier "${id}" is the default; make another tier the default before retiring it.`);
    }
    const set: Updateable<ContainerTiersTable> = { updated_at: new Date().toISOString() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.cpus !== undefined) set.cpus = patch.cpus;
    if (patch.memory !== undefined) set.memory = patch.memory;
    if (patch.memoryReservation !== undefined) set.memory_reservation = patch.memoryReservation;
    if (patch.storageGb !== undefined) set.storage_gb = patch.storageGb;
    if (patch.hasDesktopAccess !== undefined) set.has_desktop_access = patch.hasDesktopAccess ? 1 : 0;
    if (patch.imageType !== undefined) set.image_type = patch.imageType;
    if (patch.exposedPorts !== undefined) set.exposed_ports = patch.exposedPorts;
    if (patch.retired !== undefined) set.retired = patch.retired ? 1 : 0;
    await this.db.transaction().execute(async (trx) => {
      if (patch.isDefault) {
        await trx.updateTable('container_tiers').set({ is_default: 0 }).execute();
        set.is_default = 1;
      }
      await trx.updateTable('container_tiers').set(set).where('id', '=', id).execute();
    });
    return this.changed(id);
  }

  async delete(id: string): Promise<void> {
    const tier = await this.get(id);
    if (tier.projectCount > 0) {
      throw conflict('tier_in_use', `Tier "${id}" is used by ${tier.projectCount} project(s); retire it instead (PATCH {"retired": true}) so no new project uses it.`, { projectCount: tier.projectCount });
    }
    if (tier.isDefault) throw conflict('tier_is_default', `Tier "${id}" is the default; make another tier the default before deleting it.`);
    await this.db.deleteFrom('container_tiers').where('id', '=', id).execute();
  }

  private async changed(id: string): Promise<Tier> {
    const tier = await this.get(id);
    const users = await this.db.selectFrom('users').select('id').execute();
    for (const u of users) this.hub.publish(u.id, 'tier.changed', { tier });
    return tier;
  }

  private async projectCounts(id?: string): Promise<Map<string, number>> {
    let q = this.db.selectFrom('projects').select(['tier_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('tier_id');
    if (id) q = q.where('tier_id', '=', id);
    const rows = await q.execute();
    return new Map(rows.map((r) => [r.tier_id, Number(r.n)]));
  }
}

function toRow(t: TierCreate, now: string) {
  return {
    id: t.id, name: t.name, description: t.description ?? '', cpus: t.cpus, memory: t.memory,
    memory_reservation: t.memoryReservation, storage_gb: t.storageGb,
    has_desktop_access: t.hasDesktopAccess ? 1 : 0, image_type: t.imageType ?? 'cli',
    exposed_ports: t.exposedPorts ?? '4096', is_default: t.isDefault ? 1 : 0, retired: 0,
    created_at: now, updated_at: now,
  };
}

function toTier(r: TierRow, projectCount: number): Tier {
  return {
    id: r.id, name: r.name, description: r.description, cpus: r.cpus, memory: r.memory,
    memoryReservation: r.memory_reservation, storageGb: r.storage_gb,
    hasDesktopAccess: r.has_desktop_access === 1, imageType: r.image_type, exposedPorts: r.exposed_ports,
    isDefault: r.is_default === 1, retired: r.retired === 1, projectCount,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
