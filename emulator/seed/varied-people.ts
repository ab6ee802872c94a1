/**
 * People who make a directory awkward, seeded after the Contoso demo people (people.ts) so that
 * previews and provisioning meet what real tenants hold: diacritics, CJK and apostrophes in names,
 * nulls where most users have values, several proxy addresses and other mails, a guest, a disabled
 * account, an account synced from on-premises AD with extension attributes, a manager chain and
 * people without a manager, a directory extension value, a nested group.
 *
 * Their departments are none of the demo groups' departments, so the demo groups (and what tests
 * count of them) keep their members; they do join "All Company", like everyone. Some are assigned
 * to the SCIM app (directly, or through the "Global Operations" group), some are not.
 *
 * Values are written out here, not drawn from the seed: only ids come from a seeded stream of
 * their own (seed/index.ts), so adding them moved no id seeded before.
 */

/** A varied person: Graph user properties (directory-model.ts names them) plus their links. */
interface VariedPerson {
  /** Key used for manager and group links below. */
  key: string;
  /** Graph properties; `id` comes from the seed. Absent properties read as null. */
  properties: Record<string, unknown>;
  /** Key of the manager, if any. */
  manager?: string;
  /** Value of the seeded directory extension (seed/index.ts: BADGE_EXTENSION), if any. */
  badgeNumber?: string;
  /** Assigned to the SCIM app directly, with this app role (display name). */
  scimAppRole?: "User" | "msiam_access";
}

const DOMAIN = "contoso.com";

export const VARIED_PEOPLE: readonly VariedPerson[] = [
  {
    key: "amara",
    properties: {
      accountEnabled: true,
      displayName: "Amara Okafor",
      givenName: "Amara",
      surname: "Okafor",
      userPrincipalName: `amara.okafor@${DOMAIN}`,
      mail: `amara.okafor@${DOMAIN}`,
      mailNickname: "amara.okafor",
      proxyAddresses: [`SMTP:amara.okafor@${DOMAIN}`, "smtp:amara@contoso.ng"],
      jobTitle: "Director of Global Operations",
      department: "Global Operations",
      companyName: "Contoso Ltd",
      employeeId: "20001",
      employeeType: "Employee",
      employeeHireDate: "2016-03-01T00:00:00Z",
      employeeOrgData: { costCenter: "CC-1000", division: "Operations EMEA" },
      businessPhones: ["+234 1 555 0100"],
      mobilePhone: "+234 803 555 0101",
      officeLocation: "Lagos 4/401",
      streetAddress: "12 Marina Road",
      city: "Lagos",
      state: "Lagos",
      postalCode: "101001",
      country: "Nigeria",
      usageLocation: "NG",
      preferredLanguage: "en-GB",
      userType: "Member",
    },
    badgeNumber: "B-10001",
  },
  {
    key: "zoe",
    properties: {
      accountEnabled: true,
      displayName: "Zoë Ångström",
      givenName: "Zoë",
      surname: "Ångström",
      userPrincipalName: `zoe.angstrom@${DOMAIN}`,
      mail: `zoe.angstrom@${DOMAIN}`,
      mailNickname: "zoe.angstrom",
      proxyAddresses: [`SMTP:zoe.angstrom@${DOMAIN}`, "smtp:zoe@contoso.se", "smtp:z.angstrom@contoso.se"],
      otherMails: ["zoe.angstrom@outlook.com", "zoe@angstrom.example"],
      jobTitle: "Senior Buyer",
      department: "Procurement",
      companyName: "Contoso AB",
      employeeId: "20002",
      employeeType: "Employee",
      employeeHireDate: "2019-08-19T00:00:00Z",
      employeeOrgData: { costCenter: "CC-4410", division: "Nordics" },
      businessPhones: ["+46 8 555 0142", "+46 8 555 0143"],
      faxNumber: "+46 8 555 0199",
      officeLocation: "Stockholm 2/214",
      streetAddress: "Sveavägen 44",
      city: "Stockholm",
      postalCode: "111 34",
      country: "Sweden",
      usageLocation: "SE",
      preferredLanguage: "sv-SE",
      userType: "Member",
      onPremisesExtensionAttributes: { extensionAttribute1: "Tier2", extensionAttribute15: "Nordics-Buyers" },
    },
    manager: "amara",
    badgeNumber: "B-20417",
  },
  {
    key: "jose",
    properties: {
      accountEnabled: true,
      displayName: "José Núñez",
      givenName: "José",
      surname: "Núñez",
      userPrincipalName: `jose.nunez@${DOMAIN}`,
      mail: `jose.nunez@${DOMAIN}`,
      mailNickname: "jose.nunez",
      proxyAddresses: [`SMTP:jose.nunez@${DOMAIN}`],
      jobTitle: "Logistics Coordinator",
      department: "Logistics",
      companyName: "Contoso Ibérica",
      employeeId: "20003",
      employeeType: "Employee",
      employeeHireDate: "2022-01-10T00:00:00Z",
      mobilePhone: "+34 612 555 013",
      officeLocation: "Madrid 1/12",
      streetAddress: "Calle de Alcalá 21",
      city: "Madrid",
      state: "Comunidad de Madrid",
      postalCode: "28014",
      country: "Spain",
      usageLocation: "ES",
      preferredLanguage: "es-ES",
      userType: "Member",
    },
    manager: "zoe",
  },
  {
    key: "xiuying",
    properties: {
      accountEnabled: true,
      displayName: "王秀英",
      givenName: "秀英",
      surname: "王",
      userPrincipalName: `xiuying.wang@${DOMAIN}`,
      mail: `xiuying.wang@${DOMAIN}`,
      mailNickname: "xiuying.wang",
      proxyAddresses: [`SMTP:xiuying.wang@${DOMAIN}`, "smtp:wang.xiuying@contoso.cn"],
      jobTitle: "采购专员",
      department: "Procurement",
      companyName: "Contoso (Shanghai)",
      employeeId: "20004",
      employeeType: "Employee",
      businessPhones: ["+86 21 5555 0188"],
      officeLocation: "上海 3/305",
      city: "上海",
      country: "China",
      usageLocation: "CN",
      preferredLanguage: "zh-CN",
      userType: "Member",
    },
    manager: "zoe",
  },
  {
    key: "bjorn",
    properties: {
      // Left the company: disabled, with a leave date.
      accountEnabled: false,
      displayName: "Björn Þórsson",
      givenName: "Björn",
      surname: "Þórsson",
      userPrincipalName: `bjorn.thorsson@${DOMAIN}`,
      mail: `bjorn.thorsson@${DOMAIN}`,
      mailNickname: "bjorn.thorsson",
      proxyAddresses: [`SMTP:bjorn.thorsson@${DOMAIN}`],
      jobTitle: "Warehouse Lead",
      department: "Logistics",
      employeeId: "20005",
      employeeType: "Employee",
      employeeHireDate: "2014-05-05T00:00:00Z",
      employeeLeaveDateTime: "2024-11-30T17:00:00Z",
      city: "Reykjavík",
      country: "Iceland",
      usageLocation: "IS",
      preferredLanguage: "is-IS",
      userType: "Member",
    },
    manager: "amara",
  },
  {
    key: "siobhan",
    properties: {
      // Synced from on-premises Active Directory.
      accountEnabled: true,
      displayName: "Siobhán O'Connor",
      givenName: "Siobhán",
      surname: "O'Connor",
      userPrincipalName: `siobhan.oconnor@${DOMAIN}`,
      mail: `siobhan.oconnor@${DOMAIN}`,
      mailNickname: "siobhan.oconnor",
      proxyAddresses: [`SMTP:siobhan.oconnor@${DOMAIN}`, "smtp:soconnor@corp.contoso.com", "X500:/o=Contoso/ou=Exchange/cn=Recipients/cn=soconnor"],
      jobTitle: "Customs Specialist",
      department: "Logistics",
      companyName: "Contoso Ireland",
      employeeId: "20006",
      employeeType: "Employee",
      businessPhones: ["+353 1 555 0166"],
      officeLocation: "Dublin 2/210",
      city: "Dublin",
      state: "Leinster",
      postalCode: "D02 X285",
      country: "Ireland",
      usageLocation: "IE",
      preferredLanguage: "en-IE",
      userType: "Member",
      onPremisesSyncEnabled: true,
      onPremisesSamAccountName: "soconnor",
      onPremisesSecurityIdentifier: "S-1-5-21-3623811015-3361044348-30300820-1013",
      onPremisesImmutableId: "Q2hhbmdlTWU0MkJhc2U2NA==",
      onPremisesDistinguishedName: "CN=Siobhán O'Connor,OU=Users,OU=Dublin,DC=corp,DC=contoso,DC=com",
      onPremisesDomainName: "corp.contoso.com",
      onPremisesUserPrincipalName: "soconnor@corp.contoso.com",
      onPremisesExtensionAttributes: { extensionAttribute1: "Tier1", extensionAttribute2: "IE-DUB", extensionAttribute3: "Customs" },
    },
    manager: "amara",
    badgeNumber: "B-30166",
  },
  {
    key: "chloe",
    properties: {
      // A contractor with most attributes unset, and no mail.
      accountEnabled: true,
      displayName: "Chloé Dubois-Lefèvre",
      givenName: "Chloé",
      surname: "Dubois-Lefèvre",
      userPrincipalName: `chloe.dubois-lefevre@${DOMAIN}`,
      mailNickname: "chloe.dubois-lefevre",
      employeeType: "Contractor",
      companyName: "Fabrikam Consulting",
      imAddresses: [`sip:chloe.dubois-lefevre@${DOMAIN}`],
      preferredLanguage: "fr-FR",
      userType: "Member",
    },
    scimAppRole: "User",
  },
  {
    key: "kenji",
    properties: {
      // A B2B guest.
      accountEnabled: true,
      displayName: "佐藤 健二 (Fabrikam)",
      givenName: "健二",
      surname: "佐藤",
      userPrincipalName: `kenji.sato_fabrikam.com#EXT#@${DOMAIN}`,
      mail: "kenji.sato@fabrikam.com",
      mailNickname: "kenji.sato_fabrikam.com#EXT#",
      proxyAddresses: ["SMTP:kenji.sato@fabrikam.com"],
      otherMails: ["kenji.sato@fabrikam.com"],
      companyName: "Fabrikam",
      country: "Japan",
      usageLocation: "JP",
      preferredLanguage: "ja-JP",
      userType: "Guest",
      creationType: "Invitation",
      externalUserState: "Accepted",
    },
    scimAppRole: "msiam_access",
  },
];

/** Groups of the varied people; appended after the demo groups. */
interface VariedGroup {
  key: string;
  properties: Record<string, unknown>;
  /** Member keys: people, or other varied groups (nested). */
  members: readonly string[];
  /** Assigned to the SCIM app (with its "User" role): its direct user members are in scope. */
  assignedToScimApp: boolean;
}

export const VARIED_GROUPS: readonly VariedGroup[] = [
  {
    key: "globalOps",
    properties: {
      displayName: "Global Operations",
      description: "Operations, logistics and procurement across regions",
      mail: `globaloperations@${DOMAIN}`,
      mailNickname: "globaloperations",
      proxyAddresses: [`SMTP:globaloperations@${DOMAIN}`],
      mailEnabled: true,
      securityEnabled: true,
      groupTypes: [],
      visibility: "Public",
    },
    // Nested "Procurement APAC" is a member; its members are not in scope through it (nested groups are not followed).
    members: ["amara", "zoe", "jose", "bjorn", "siobhan", "procurementApac"],
    assignedToScimApp: true,
  },
  {
    key: "procurementApac",
    properties: {
      displayName: "Procurement APAC",
      description: "Buyers for Asia-Pacific suppliers",
      mail: null,
      mailNickname: "procurementapac",
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      onPremisesSyncEnabled: true,
      onPremisesSamAccountName: "ProcurementAPAC",
      onPremisesSecurityIdentifier: "S-1-5-21-3623811015-3361044348-30300820-2210",
      securityIdentifier: "S-1-12-1-1111111111-2222222222-3333333333-444444444",
    },
    members: ["xiuying", "zoe"],
    assignedToScimApp: false,
  },
];
