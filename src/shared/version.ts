/** appVersion is the Wheelhouse release, shown in the UI, the CLI and node image tags. */
export const appVersion = '0.1.0';
