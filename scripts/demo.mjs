// `npm run demo`: backs up a simulated fleet. The CLI and its demo land with the CLI; until then
// this says so and exits cleanly.
console.log(
  'confsnap demo: the CLI demo is not available in this version yet.\n' +
    'Run `npm test` to see collection against simulated devices and real servers.',
);
