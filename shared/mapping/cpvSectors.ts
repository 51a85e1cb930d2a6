/**
 * CPV division (the first two digits of a CPV code) → sector shown by the search application.
 * All 45 divisions of CPV 2008, each named after the division's CPV title, shortened.
 */
export const CPV_SECTORS: Readonly<Record<string, string>> = {
  '03': 'Agriculture, farming, fishing and forestry products',
  '09': 'Petroleum, fuel, electricity and energy',
  '14': 'Mining and basic metals',
  '15': 'Food, beverages and tobacco',
  '16': 'Agricultural machinery',
  '18': 'Clothing, footwear and luggage',
  '19': 'Leather, textiles, plastic and rubber materials',
  '22': 'Printed matter',
  '24': 'Chemical products',
  '30': 'Office and computing equipment',
  '31': 'Electrical equipment and lighting',
  '32': 'Radio, television and telecommunications equipment',
  '33': 'Medical equipment and pharmaceuticals',
  '34': 'Transport equipment',
  '35': 'Security, fire-fighting, police and defence equipment',
  '37': 'Musical instruments, sports goods, toys and art materials',
  '38': 'Laboratory, optical and precision equipment',
  '39': 'Furniture, furnishings, appliances and cleaning products',
  '41': 'Collected and purified water',
  '42': 'Industrial machinery',
  '43': 'Mining, quarrying and construction machinery',
  '44': 'Construction structures and materials',
  '45': 'Construction work',
  '48': 'Software and information systems',
  '50': 'Repair and maintenance services',
  '51': 'Installation services',
  '55': 'Hotel, restaurant and retail services',
  '60': 'Transport services',
  '63': 'Supporting transport services and travel agencies',
  '64': 'Postal and telecommunications services',
  '65': 'Public utilities',
  '66': 'Financial and insurance services',
  '70': 'Real estate services',
  '71': 'Architectural, engineering and inspection services',
  '72': 'IT services',
  '73': 'Research and development services',
  '75': 'Administration, defence and social security services',
  '76': 'Oil and gas industry services',
  '77': 'Agricultural, forestry and horticultural services',
  '79': 'Business services',
  '80': 'Education and training services',
  '85': 'Health and social work services',
  '90': 'Sewage, refuse, cleaning and environmental services',
  '92': 'Recreational, cultural and sporting services',
  '98': 'Other community, social and personal services',
};

/** The sector of an 8-digit CPV code; undefined for an unknown division. */
export function sectorOfCpv(code: string): string | undefined {
  return CPV_SECTORS[code.slice(0, 2)];
}
