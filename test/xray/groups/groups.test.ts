import { describe, expect, test } from 'vitest';
import { Groups, GroupRequestError, MemoryGroupStorage } from '../../../src/xray/groups/index.ts';
import { parse } from '../../../src/xray/query/index.ts';

function newGroups(): Groups {
  let ids = 0;
  return new Groups({ storage: new MemoryGroupStorage(), region: 'eu-west-1', accountId: '123456789012', newId: () => `ID${++ids}` });
}

const refused = (action: () => unknown, message: string): void => {
  expect(action).toThrow(GroupRequestError);
  expect(action).toThrow(message);
};

describe('Groups', () => {
  test('Default always exists, first, with no filter and its own ARN', () => {
    const groups = newGroups();
    expect(groups.list()).toEqual([{
      name: 'Default', arn: 'arn:aws:xray:eu-west-1:123456789012:group/Default',
      filterExpression: undefined, filter: undefined, insightsEnabled: false, notificationsEnabled: false,
    }]);
    expect(groups.get({ name: 'Default' }).arn).toBe('arn:aws:xray:eu-west-1:123456789012:group/Default');
  });

  test('create gives an ARN with the name and an id, and parses the filter', () => {
    const groups = newGroups();
    const group = groups.create('dynamo-faults', { filterExpression: 'service("dynamo-flow") { fault }' });
    expect(group).toEqual({
      name: 'dynamo-faults', arn: 'arn:aws:xray:eu-west-1:123456789012:group/dynamo-faults/ID1',
      filterExpression: 'service("dynamo-flow") { fault }', filter: parse('service("dynamo-flow") { fault }'),
      insightsEnabled: false, notificationsEnabled: false,
    });
    expect(groups.list().map((g) => g.name)).toEqual(['Default', 'dynamo-faults']);
    expect(groups.get({ arn: group.arn })).toEqual(group);
    expect(groups.get({ name: 'dynamo-faults', arn: group.arn })).toEqual(group);
  });

  test('names: 1 to 32 letters, digits, "-" and "_"; Default reserved; duplicates refused', () => {
    const groups = newGroups();
    expect(groups.create('a'.repeat(32)).name).toHaveLength(32);
    expect(groups.create('A-b_9').name).toBe('A-b_9');
    refused(() => groups.create('a'.repeat(33)), 'GroupName must be 1 to 32 characters long, got 33');
    refused(() => groups.create(''), 'GroupName must be 1 to 32 characters long, got 0');
    refused(() => groups.create('with space'), 'GroupName "with space" may contain only letters, digits, "-" and "_"');
    refused(() => groups.create("x';--"), 'may contain only letters');
    refused(() => groups.create('Default'), 'GroupName "Default" is reserved');
    refused(() => groups.create('A-b_9'), 'a group named "A-b_9" already exists');
    // Case-sensitive: another name.
    expect(groups.create('default').name).toBe('default');
  });

  test('an invalid filter is refused with its parse error and column', () => {
    const groups = newGroups();
    refused(() => groups.create('bad', { filterExpression: 'responsetime >' }), "FilterExpression: expected a number after '>' at column 15");
    refused(() => groups.create('bad', { filterExpression: 'ok AND' }), 'FilterExpression: expected a filter expression after AND at column 7');
    refused(() => groups.create('bad', { filterExpression: 'group.name = "x"' }), "a group's filter cannot test group membership");
    refused(() => groups.create('bad', { filterExpression: '' }), 'FilterExpression: expected a filter expression at column 1');
    expect(groups.list()).toHaveLength(1);
  });

  test('update changes what it is given; Default takes insights settings only', () => {
    const groups = newGroups();
    groups.create('slow', { filterExpression: 'responsetime > 2' });
    const updated = groups.update({ name: 'slow' }, { filterExpression: 'responsetime > 3', insightsEnabled: true });
    expect(updated).toMatchObject({ filterExpression: 'responsetime > 3', insightsEnabled: true, notificationsEnabled: false });
    expect(groups.update({ arn: updated.arn }, { notificationsEnabled: true })).toMatchObject({ filterExpression: 'responsetime > 3', notificationsEnabled: true });
    refused(() => groups.update({ name: 'slow' }, { filterExpression: 'responsetime >>' }), "FilterExpression: expected a number after '>', found '>' at column 15");
    expect(groups.get({ name: 'slow' }).filterExpression).toBe('responsetime > 3');
    refused(() => groups.update({ name: 'Default' }, { filterExpression: 'fault' }), 'cannot be given a FilterExpression');
    expect(groups.update({ name: 'Default' }, { insightsEnabled: true }).insightsEnabled).toBe(true);
    expect(groups.list()[0]).toMatchObject({ name: 'Default', insightsEnabled: true, filterExpression: undefined });
  });

  test('notifications need insights', () => {
    refused(() => newGroups().create('n', { notificationsEnabled: true }), 'NotificationsEnabled needs InsightsEnabled');
  });

  test('unknown groups, mismatched references and Default are refused clearly', () => {
    const groups = newGroups();
    const a = groups.create('a', { filterExpression: 'fault' });
    groups.create('b', { filterExpression: 'error' });
    refused(() => groups.get({}), 'GroupName or GroupARN is required');
    refused(() => groups.get({ name: 'nope' }), 'there is no group named "nope"');
    refused(() => groups.get({ arn: 'arn:aws:xray:eu-west-1:123456789012:group/a/X' }), 'there is no group with GroupARN');
    refused(() => groups.get({ name: 'b', arn: a.arn }), 'name different groups');
    refused(() => groups.delete({ name: 'Default' }), 'the Default group cannot be deleted');
    groups.delete({ arn: a.arn });
    refused(() => groups.delete({ name: 'a' }), 'there is no group named "a"');
    expect(groups.list().map((g) => g.name)).toEqual(['Default', 'b']);
  });

  test('definitions are what queries resolve group tests with', () => {
    const groups = newGroups();
    groups.create('f', { filterExpression: 'fault' });
    expect(groups.definitions()).toEqual([
      { name: 'Default', arn: 'arn:aws:xray:eu-west-1:123456789012:group/Default', filter: undefined },
      { name: 'f', arn: 'arn:aws:xray:eu-west-1:123456789012:group/f/ID1', filter: parse('fault') },
    ]);
  });
});
