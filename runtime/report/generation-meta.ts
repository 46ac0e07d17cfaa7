/** The report page's <meta> naming the output generation it describes, so a run can tell a report left from an earlier commit. */
export const GENERATION_META = 'zyda-generation';
