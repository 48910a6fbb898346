import { JwtService } from '@nestjs/jwt';
import { UnauthenticatedError } from '@isp/domain';
import { sign } from 'jsonwebtoken';
import { jwtOptions } from './auth.module';
import { SessionService } from './session.service';

// The secret became a key object (made once, not parsed per verify): the same tokens must pass
// and every forgery must still fail. claims() only verifies; it never reads the user store.
describe('access token verification with the key object', () => {
  const secret = 'spec-secret-spec-secret-spec-secret-0123';
  const sessions = new SessionService(new JwtService(jwtOptions({ JWT_SECRET: secret })), null as never);
  const claims = { sub: '6b110cdaf5d033518e7f7259', typ: 'access', sv: 3 };

  it('accepts a token signed with the secret as a string (tokens issued before the change)', async () => {
    const token = sign(claims, secret, { algorithm: 'HS256', expiresIn: 60 });
    await expect(sessions.claims(token)).resolves.toMatchObject({ sub: claims.sub, typ: 'access', sv: 3 });
  });

  it('accepts a token it signed itself', async () => {
    const token = await new JwtService(jwtOptions({ JWT_SECRET: secret })).signAsync(claims, { expiresIn: 60, algorithm: 'HS256' });
    await expect(sessions.claims(token)).resolves.toMatchObject({ sub: claims.sub });
  });

  it.each([
    ['another secret', () => sign(claims, `${secret}x`, { algorithm: 'HS256', expiresIn: 60 })],
    ['another algorithm (HS512)', () => sign(claims, secret, { algorithm: 'HS512', expiresIn: 60 })],
    ['no signature (alg none)', () => sign(claims, '', { algorithm: 'none', expiresIn: 60 })],
    ['an expired token', () => sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, secret, { algorithm: 'HS256' })],
    ['a token of another type', () => sign({ ...claims, typ: 'refresh' }, secret, { algorithm: 'HS256', expiresIn: 60 })],
  ])('refuses %s', async (_what, token) => {
    await expect(sessions.claims(token())).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
