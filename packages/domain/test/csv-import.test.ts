import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellBoolean, cellDate, cellList, cellNumber, decodeCsv, headerKey } from '../src/csv-import';
import { InvalidInput } from '../src/errors';

const bytes = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex');
// 学号,姓名 as Chinese Excel saves "CSV" (GBK, which GB18030 contains)
const GBK_HEADER = bytes('D1A7 BAC5 2C D0D5 C3FB');

describe('decodeCsv', () => {
  it('has GB18030 in this Node (full ICU), as Lambda has', () => {
    expect(new TextDecoder('gb18030').encoding).toBe('gb18030');
  });

  it('reads UTF-8 with or without a BOM, and drops the BOM', () => {
    expect(decodeCsv(Buffer.from('学号,姓名'))).toBe('学号,姓名');
    expect(decodeCsv(Buffer.from('\uFEFF学号,姓名'))).toBe('学号,姓名');
  });

  it('reads a file that is not UTF-8 as GB18030: GBK and its four-byte codes', () => {
    expect(decodeCsv(GBK_HEADER)).toBe('学号,姓名');
    // 𠀀 (U+20000) is four bytes in GB18030, outside GBK
    expect(decodeCsv(bytes('95 32 82 36'))).toBe('𠀀');
  });

  it('honours a declared charset, and refuses a file that is not what it declares', () => {
    expect(decodeCsv(GBK_HEADER, 'GBK')).toBe('学号,姓名');
    expect(decodeCsv(GBK_HEADER, 'gb2312')).toBe('学号,姓名');
    expect(() => decodeCsv(GBK_HEADER, 'utf-8')).toThrow(/not valid utf-8 text, as its Content-Type says/);
    expect(() => decodeCsv(GBK_HEADER, 'no-such-charset')).toThrow(InvalidInput);
  });

  it('refuses bytes that are neither, and text holding replacement characters (garbled on the way), naming the line', () => {
    expect(() => decodeCsv(bytes('41 FF FF 80'))).toThrow(/neither UTF-8 nor GB18030\/GBK/);
    const garbled = Buffer.from(`a,b\n${GBK_HEADER.toString('utf8')}\n`);
    expect(() => decodeCsv(garbled)).toThrow(/line 2 of the file has characters that were lost/);
  });

  it('answers any bytes with text or InvalidInput, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.option(fc.constantFrom('utf-8', 'gbk', 'latin1', 'x'), { nil: null }), (b, cs) => {
        try {
          expect(typeof decodeCsv(b, cs)).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInput);
        }
      }),
    );
  });
});

describe('cells', () => {
  it('folds full-width forms in headers and cells, as Chinese input methods type them', () => {
    expect(headerKey(' Max_Minutes PerWeek ')).toBe('maxminutesperweek');
    expect(headerKey('ＮＡＭＥ')).toBe('name');
    expect(cellList('dance；piano、music,  art ')).toEqual(['dance', 'piano', 'music', 'art']);
  });

  it('reads dates as Excel writes them, numbers and yes/no; anything else as written, for the schema to refuse', () => {
    expect(['2027/6/30', '2027-6-30', '2027.06.30', '2027年6月30日', '2027-06-30'].map(cellDate)).toEqual(
      Array(5).fill('2027-06-30'),
    );
    expect(cellDate('30/06/2027')).toBe('30/06/2027');
    expect([cellNumber('40'), cellNumber(' ４０ '), cellNumber('4.5'), cellNumber('forty')]).toEqual([40, 40, '4.5', 'forty']);
    expect(['是', 'Yes', '1', '否', 'false', '0', 'maybe'].map(cellBoolean)).toEqual([true, true, true, false, false, false, 'maybe']);
  });
});
