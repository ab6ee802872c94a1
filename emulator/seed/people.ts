/**
 * Name pool for seeded users: the fictitious people of Microsoft's Contoso demo tenant, so the
 * seeded directory reads like the tenants people see in Microsoft's docs.
 */
interface PersonTemplate {
  givenName: string;
  surname: string;
  jobTitle: string;
  department: string;
  officeLocation: string;
  city: string;
  state: string;
  country: string;
  preferredLanguage: string;
}

export const PEOPLE: readonly PersonTemplate[] = [
  {
    givenName: "Adele",
    surname: "Vance",
    jobTitle: "Retail Manager",
    department: "Retail",
    officeLocation: "18/2111",
    city: "Bellevue",
    state: "WA",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Alex",
    surname: "Wilber",
    jobTitle: "Marketing Assistant",
    department: "Marketing",
    officeLocation: "131/1104",
    city: "San Diego",
    state: "CA",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Diego",
    surname: "Siciliani",
    jobTitle: "HR Manager",
    department: "HR",
    officeLocation: "14/1108",
    city: "Birmingham",
    state: "AL",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Grady",
    surname: "Archie",
    jobTitle: "Designer",
    department: "R&D",
    officeLocation: "19/2109",
    city: "Bloomington",
    state: "IN",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Henrietta",
    surname: "Mueller",
    jobTitle: "Developer",
    department: "R&D",
    officeLocation: "18/1106",
    city: "Bellevue",
    state: "WA",
    country: "United States",
    preferredLanguage: "de-DE",
  },
  {
    givenName: "Isaiah",
    surname: "Langer",
    jobTitle: "Sales Rep",
    department: "Sales",
    officeLocation: "20/1101",
    city: "Tulsa",
    state: "OK",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Johanna",
    surname: "Lorenz",
    jobTitle: "Senior Engineer",
    department: "Engineering",
    officeLocation: "23/2102",
    city: "Louisville",
    state: "KY",
    country: "United States",
    preferredLanguage: "de-DE",
  },
  {
    givenName: "Joni",
    surname: "Sherman",
    jobTitle: "Paralegal",
    department: "Legal",
    officeLocation: "20/1109",
    city: "Charlotte",
    state: "NC",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Lee",
    surname: "Gu",
    jobTitle: "Director",
    department: "Manufacturing",
    officeLocation: "23/3101",
    city: "Miami",
    state: "FL",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Lidia",
    surname: "Holloway",
    jobTitle: "Product Manager",
    department: "Engineering",
    officeLocation: "20/2107",
    city: "Tulsa",
    state: "OK",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Lynne",
    surname: "Robbins",
    jobTitle: "Planner",
    department: "Retail",
    officeLocation: "20/1104",
    city: "Tulsa",
    state: "OK",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Megan",
    surname: "Bowen",
    jobTitle: "Marketing Manager",
    department: "Marketing",
    officeLocation: "12/1110",
    city: "Pittsburgh",
    state: "PA",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Miriam",
    surname: "Graham",
    jobTitle: "Director",
    department: "Sales & Marketing",
    officeLocation: "131/2103",
    city: "San Diego",
    state: "CA",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Nestor",
    surname: "Wilke",
    jobTitle: "Director",
    department: "Operations",
    officeLocation: "36/2121",
    city: "Seattle",
    state: "WA",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Patti",
    surname: "Fernandez",
    jobTitle: "President",
    department: "Executive Management",
    officeLocation: "15/1102",
    city: "Louisville",
    state: "KY",
    country: "United States",
    preferredLanguage: "en-US",
  },
  {
    givenName: "Pradeep",
    surname: "Gupta",
    jobTitle: "Accountant",
    department: "Finance",
    officeLocation: "98/2202",
    city: "Cairo",
    state: "Cairo",
    country: "Egypt",
    preferredLanguage: "en-US",
  },
];

interface GroupTemplate {
  displayName: string;
  mailNickname: string;
  description: string;
  /** Members are the seeded users whose department is one of these ("*" = everyone). */
  departments: readonly string[];
}

export const GROUPS: readonly GroupTemplate[] = [
  { displayName: "All Company", mailNickname: "allcompany", description: "This is the default group for everyone in the network", departments: ["*"] },
  {
    displayName: "Sales and Marketing",
    mailNickname: "salesandmarketing",
    description: "Sales and marketing staff",
    departments: ["Sales", "Marketing", "Sales & Marketing", "Retail"],
  },
  { displayName: "Engineering", mailNickname: "engineering", description: "Engineering and R&D", departments: ["Engineering", "R&D", "Manufacturing"] },
];
