// The smictl / operator release version. A unit test keeps it equal to package.json's.
export const CLIENT_VERSION = '0.1.0';
