// Shell scripts under resources/ are bundled into the engine as text (Vite's ?raw
// import), so the node image can be built without locating files at run time.
declare module '*.sh?raw' {
  const text: string;
  export default text;
}
