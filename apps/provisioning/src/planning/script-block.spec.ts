import { snitchMarker } from '@isp/routeros';
import { BLOCK_BEGIN, BLOCK_END, mergeScript, splitScript } from './script-block';

const OURS = `${snitchMarker('ppp-up')}\n:do {} on-error={}`;
const THEIRS = ':log info "operator"\n/ip firewall address-list add list=seen address=$"remote-address"';
const block = (text: string) => `${BLOCK_BEGIN}\n${text}\n${BLOCK_END}`;

describe('our block in a shared hook script', () => {
  it('an empty field or one holding only our script gets our script alone', () => {
    expect(mergeScript('', OURS)).toEqual({ action: 'write', value: OURS, ours: '' });
    expect(mergeScript(OURS, OURS)).toEqual({ action: 'keep', ours: OURS });
    expect(mergeScript(`${snitchMarker('ppp-up')}\nold token`, OURS)).toMatchObject({ action: 'write', value: OURS });
  });

  it("puts ours before the operator's lines, then keeps the result as it is (router line endings included)", () => {
    const first = mergeScript(THEIRS, OURS);
    expect(first).toEqual({ action: 'write', value: `${block(OURS)}\n${THEIRS}`, ours: '' });
    const written = first.action === 'write' ? first.value : '';
    expect(mergeScript(written, OURS)).toEqual({ action: 'keep', ours: OURS });
    expect(mergeScript(written.replace(/\n/g, '\r\n'), OURS)).toMatchObject({ action: 'keep' });
    expect(splitScript(written)).toEqual({ ours: OURS, rest: THEIRS });
  });

  it('repairs an emptied block, and drops the markers once the operator removed their lines', () => {
    expect(mergeScript(`${block('')}\n${THEIRS}`, OURS)).toEqual({ action: 'write', value: `${block(OURS)}\n${THEIRS}`, ours: '' });
    expect(mergeScript(block(OURS), OURS)).toEqual({ action: 'write', value: OURS, ours: OURS });
  });

  it("leaves another deployment's script alone, alone or in a block", () => {
    const other = `${snitchMarker('ppp-up')} deployment=other-isp\n:do {} on-error={}`;
    expect(mergeScript(other, OURS).action).toBe('conflict');
    expect(mergeScript(`${block(other)}\n${THEIRS}`, OURS).action).toBe('conflict');
  });
});
