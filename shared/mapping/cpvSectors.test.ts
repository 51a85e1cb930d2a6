import { describe, expect, it } from 'vitest';
import { CPV_SECTORS, sectorOfCpv } from './cpvSectors.ts';

/** The 45 divisions of CPV 2008. */
const DIVISIONS = [
  '03', '09', '14', '15', '16', '18', '19', '22', '24', '30', '31', '32', '33', '34', '35', '37', '38', '39', '41',
  '42', '43', '44', '45', '48', '50', '51', '55', '60', '63', '64', '65', '66', '70', '71', '72', '73', '75', '76',
  '77', '79', '80', '85', '90', '92', '98',
];

describe('CPV_SECTORS', () => {
  it('covers exactly the 45 CPV divisions, each with a name', () => {
    expect(DIVISIONS).toHaveLength(45);
    expect(Object.keys(CPV_SECTORS).sort()).toEqual(DIVISIONS);
    for (const name of Object.values(CPV_SECTORS)) expect(name.trim()).not.toBe('');
  });

  it('reads the division of a code', () => {
    expect(sectorOfCpv('72000000')).toBe('IT services');
    expect(sectorOfCpv('45112712')).toBe('Construction work');
    expect(sectorOfCpv('99000000')).toBeUndefined();
  });
});
