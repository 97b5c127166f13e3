import { mapLimited } from './mapLimited';

describe('mapLimited', () => {
  it('keeps the order, never runs more than the limit at once, and runs at least one', async () => {
    let running = 0;
    let most = 0;
    const slow = async (n: number) => {
      running++;
      most = Math.max(most, running);
      await new Promise(resolve => setTimeout(resolve, (5 - n) * 2));
      running--;
      return n * 10;
    };
    await expect(mapLimited([1, 2, 3, 4, 5], 2, slow)).resolves.toEqual([
      10, 20, 30, 40, 50,
    ]);
    expect(most).toBe(2);
    await expect(mapLimited([1, 2], 0, slow)).resolves.toEqual([10, 20]);
    await expect(mapLimited([], 4, slow)).resolves.toEqual([]);
  });
});
