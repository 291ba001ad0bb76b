import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DataSource } from 'typeorm';
import { AfterCommitEvents } from '../../common/persistence/after-commit-events.js';
import { renderMarkdown } from '../../articles/markdown-renderer.js';
import { ArticleEntity } from '../../articles/entities/article.entity.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import { UserEntity } from '../../users/entities/user.entity.js';
import { passwordHasher } from '../../users/password-hasher.js';
import { DEMO_ACCOUNTS, DEMO_READER_GRANT_FEN } from './demo-accounts.js';
import { DEMO_ARTICLES } from './demo-articles.js';

export interface DemoSeedResult {
  created: boolean;
}

/**
 * Fills an empty development database: an author with five published articles, a reader
 * holding ¥200.00 granted through the ledger, and a staff user. Does nothing when any user
 * exists. Runs under the schema lock (see prepareDatabase).
 */
export async function seedDemoData(dataSource: DataSource): Promise<DemoSeedResult> {
  if ((await dataSource.getRepository(UserEntity).count()) > 0) {
    return { created: false };
  }
  // Before the API starts: nobody listens to what the ledger announces.
  const events = new AfterCommitEvents(dataSource, new EventEmitter2());
  await events.transaction(async (manager) => {
    const users = manager.getRepository(UserEntity);
    const created: UserEntity[] = [];
    for (const { username, password, nickname } of [
      DEMO_ACCOUNTS.author,
      DEMO_ACCOUNTS.reader,
      DEMO_ACCOUNTS.staff,
    ]) {
      const passwordHash = await passwordHasher.hash(password);
      const isStaff = username === DEMO_ACCOUNTS.staff.username;
      created.push(await users.save(users.create({ username, nickname, passwordHash, isStaff })));
    }
    const [author, reader] = created as [UserEntity, UserEntity, UserEntity];
    const articles = manager.getRepository(ArticleEntity);
    for (const { name, content } of DEMO_ARTICLES) {
      const { render, wordCount } = renderMarkdown(content);
      await articles.save(
        articles.create({ name, content, render, wordCount, isPublic: true, userId: author.id }),
      );
    }
    await new LedgerService(events).post(manager, {
      movement: `grant:demo:${reader.id}`,
      kind: 'grant',
      legs: [
        { account: 'grants', amount: -DEMO_READER_GRANT_FEN, role: 'grants' },
        { account: 'user', userId: reader.id, amount: DEMO_READER_GRANT_FEN, role: 'user' },
      ],
    });
  });
  return { created: true };
}
