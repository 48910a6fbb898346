import { currentDeployment, isOwnScript, ownedUserTags, parseFirewallTag, parseTag, setDeployment, tagDeployment, userTag, withScriptDeployment } from './managed-tag';

const ID = 'aaaaaaaaaaaaaaaaaaaaaaa1';

describe('managed tags carry the deployment id', () => {
  afterEach(() => setDeployment('main'));

  it('the default deployment writes its id and still owns the unscoped tags written before ids existed', () => {
    expect(currentDeployment()).toBe('main');
    expect(userTag(ID)).toBe(`isp-netops@main:user:${ID}`);
    expect(parseTag(`isp-netops:user:${ID}`)).toEqual({ kind: 'user', id: ID });
    expect(parseTag(`isp-netops@main:user:${ID}`)).toEqual({ kind: 'user', id: ID });
    expect(ownedUserTags(ID)).toEqual([`isp-netops@main:user:${ID}`, `isp-netops:user:${ID}`]);
    expect(parseFirewallTag('isp-netops:firewall:suspended-drop')).toBe('suspended-drop');
  });

  it("another deployment owns only its own tags: main's and the unscoped ones are someone else's", () => {
    setDeployment('staging');
    expect(userTag(ID)).toBe(`isp-netops@staging:user:${ID}`);
    expect(parseTag(`isp-netops:user:${ID}`)).toBeNull();
    expect(parseTag(`isp-netops@main:user:${ID}`)).toBeNull();
    expect(parseTag(`isp-netops@staging:user:${ID}`)).toEqual({ kind: 'user', id: ID });
    expect(parseFirewallTag('isp-netops@main:firewall:suspended-drop')).toBeNull();
    expect(ownedUserTags(ID)).toEqual([`isp-netops@staging:user:${ID}`]);
    expect(tagDeployment(`isp-netops:user:${ID}`)).toBe('main');
    expect(tagDeployment('isp-netops@main:firewall:suspended-drop')).toBe('main');
    expect(tagDeployment('set by hand')).toBeNull();
  });

  it('only an exact tag counts, and the id is checked', () => {
    expect(parseTag(`isp-netops@main:user:${ID} (copy)`)).toBeNull();
    expect(() => setDeployment('Prod Site')).toThrow(/deployment id/);
  });

  it("snitch scripts carry the deployment on the marker line; another deployment's are not ours", () => {
    const script = '# managed-by=isp-netops kind=ppp-up v=1\n:log info "x"';
    expect(isOwnScript(script)).toBe(true); // written before ids: main's
    setDeployment('staging');
    expect(isOwnScript(script)).toBe(false);
    const ours = withScriptDeployment(script);
    expect(ours.split('\n')[0]).toBe('# managed-by=isp-netops kind=ppp-up v=1 deployment=staging');
    expect(isOwnScript(ours)).toBe(true);
    expect(isOwnScript(':log info "hand made"')).toBe(false);
  });
});
