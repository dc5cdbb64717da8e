/**
 * Small name and address lists for demo and scale data: real-looking people
 * from the places a Stockholm clinic's patients come from, with the accents,
 * apostrophes, umlauts and hyphens real input has. Each locale carries its
 * phone country code and a mobile prefix so numbers are valid E.164.
 */
export interface Locale {
  country: string;
  female: string[];
  male: string[];
  last: string[];
  /** E.164 country code and mobile prefix, followed by `digits` random digits. */
  phone: { code: string; prefix: string[]; digits: number };
  cities: { city: string; region: string }[];
  streets: string[];
}

export const LOCALES: Locale[] = [
  {
    country: 'Sweden',
    female: ['Astrid', 'Ebba', 'Maja', 'Linnéa', 'Ingrid', 'Sofia', 'Anna-Karin', 'Elsa', 'Märta', 'Karin'],
    male: ['Erik', 'Lars', 'Björn', 'Nils', 'Gustav', 'Olle', 'Per-Olof', 'Axel', 'Sven', 'Måns'],
    last: ['Lindqvist', 'Johansson', 'Åberg', 'Söderström', 'Bergström', 'Nyström', 'Öhman', 'Karlsson', 'Lindgren-Holm', 'Ekström'],
    phone: { code: '46', prefix: ['70', '72', '73', '76'], digits: 7 },
    cities: [
      { city: 'Stockholm', region: 'Stockholms län' }, { city: 'Solna', region: 'Stockholms län' },
      { city: 'Södertälje', region: 'Stockholms län' }, { city: 'Uppsala', region: 'Uppsala län' },
      { city: 'Göteborg', region: 'Västra Götalands län' }, { city: 'Malmö', region: 'Skåne län' },
    ],
    streets: ['Sveavägen', 'Götgatan', 'Hornsgatan', 'Drottninggatan', 'Södermannagatan', 'Vasagatan', 'Storgatan', 'Kungsgatan'],
  },
  {
    country: 'Finland',
    female: ['Aino', 'Elina', 'Päivi', 'Sanna', 'Helmi', 'Tuulikki'],
    male: ['Juha', 'Matti', 'Jyrki', 'Väinö', 'Eero', 'Antti'],
    last: ['Virtanen', 'Mäkinen', 'Häkkinen', 'Korhonen', 'Nieminen', 'Järvinen', 'Heikkilä'],
    phone: { code: '358', prefix: ['40', '44', '50'], digits: 7 },
    cities: [{ city: 'Helsinki', region: 'Uusimaa' }, { city: 'Tampere', region: 'Pirkanmaa' }, { city: 'Åbo', region: 'Varsinais-Suomi' }],
    streets: ['Mannerheimintie', 'Hämeenkatu', 'Aleksanterinkatu', 'Yliopistonkatu'],
  },
  {
    country: 'Poland',
    female: ['Agnieszka', 'Małgorzata', 'Katarzyna', 'Zofia', 'Łucja', 'Grażyna'],
    male: ['Paweł', 'Łukasz', 'Krzysztof', 'Wojciech', 'Michał', 'Jędrzej'],
    last: ['Kowalski', 'Wiśniewska', 'Wójcik', 'Nowak', 'Zieliński', 'Szczepańska', 'Dąbrowski', 'Nowak-Jeziorańska'],
    phone: { code: '48', prefix: ['50', '51', '60', '69'], digits: 7 },
    cities: [{ city: 'Kraków', region: 'Małopolskie' }, { city: 'Gdańsk', region: 'Pomorskie' }, { city: 'Łódź', region: 'Łódzkie' }],
    streets: ['ul. Floriańska', 'ul. Długa', 'ul. Piotrkowska', 'al. Grunwaldzka'],
  },
  {
    country: 'Spain',
    female: ['María José', 'Lucía', 'Carmen', 'Inés', 'Begoña', 'Ainhoa'],
    male: ['José Luis', 'Íñigo', 'Álvaro', 'Javier', 'Sergio', 'Jesús'],
    last: ['García López', 'Fernández', 'Martínez', 'Núñez', 'Ibáñez', 'Muñoz', 'Sánchez-Vicario', 'de la Fuente'],
    phone: { code: '34', prefix: ['6', '7'], digits: 8 },
    cities: [{ city: 'Madrid', region: 'Comunidad de Madrid' }, { city: 'Bilbao', region: 'País Vasco' }, { city: 'Sevilla', region: 'Andalucía' }],
    streets: ['Calle de Alcalá', 'Gran Vía', 'Calle Mayor', 'Avenida de la Constitución'],
  },
  {
    country: 'Ireland',
    female: ['Siobhán', 'Aoife', 'Niamh', 'Caoimhe', 'Róisín', 'Mairéad'],
    male: ['Seán', 'Pádraig', 'Cian', 'Oisín', 'Ciarán', 'Declan'],
    last: ["O'Brien", "O'Sullivan", "Ó Súilleabháin", "McCarthy", "O'Connor", "Mac Giolla", "Ní Bhriain", "D'Arcy"],
    phone: { code: '353', prefix: ['83', '85', '86', '87'], digits: 7 },
    cities: [{ city: 'Dublin', region: 'Leinster' }, { city: 'Cork', region: 'Munster' }, { city: 'Galway', region: 'Connacht' }],
    streets: ['Grafton Street', "O'Connell Street", 'Patrick Street', 'Shop Street'],
  },
  {
    country: 'Vietnam',
    female: ['Thị Hương', 'Ngọc Anh', 'Thu Trang', 'Mai Linh', 'Phương Thảo'],
    male: ['Văn Minh', 'Đức Anh', 'Quốc Bảo', 'Hoàng Long', 'Tuấn'],
    last: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng'],
    phone: { code: '84', prefix: ['90', '91', '98'], digits: 7 },
    cities: [{ city: 'Hà Nội', region: 'Hà Nội' }, { city: 'Hồ Chí Minh', region: 'Hồ Chí Minh' }, { city: 'Đà Nẵng', region: 'Đà Nẵng' }],
    streets: ['Phố Hàng Bạc', 'Đường Lê Lợi', 'Đường Trần Phú'],
  },
  {
    country: 'Nigeria',
    female: ['Chidinma', 'Ngozi', 'Oluwaseun', 'Adaeze', 'Funmilayo', 'Amaka'],
    male: ['Chukwuemeka', 'Babatunde', 'Oluwafemi', 'Ifeanyi', 'Tunde', 'Emeka'],
    last: ['Okonkwo', 'Adeyemi', 'Okafor', 'Balogun', 'Eze', 'Adebayo-Williams', 'Nwosu'],
    phone: { code: '234', prefix: ['803', '806', '813'], digits: 7 },
    cities: [{ city: 'Lagos', region: 'Lagos' }, { city: 'Abuja', region: 'FCT' }, { city: 'Enugu', region: 'Enugu' }],
    streets: ['Awolowo Road', 'Adeola Odeku Street', 'Ogui Road'],
  },
  {
    country: 'Germany',
    female: ['Lena', 'Hannelore', 'Käthe', 'Anneliese', 'Jördis', 'Grete'],
    male: ['Jürgen', 'Matthias', 'Günther', 'Lukas', 'Björn-Ole', 'Ulrich'],
    last: ['Müller', 'Schäfer', 'Groß', 'Köhler', 'Weiß', 'Schröder', 'Müller-Lüdenscheidt', 'Bäcker'],
    phone: { code: '49', prefix: ['151', '160', '176'], digits: 8 },
    cities: [{ city: 'München', region: 'Bayern' }, { city: 'Köln', region: 'Nordrhein-Westfalen' }, { city: 'Lübeck', region: 'Schleswig-Holstein' }],
    streets: ['Hauptstraße', 'Schloßstraße', 'Königsallee', 'Bahnhofstraße'],
  },
  {
    country: 'France',
    female: ['Hélène', 'Chloé', 'Léa', 'Amélie', 'Marie-Thérèse', 'Noémie'],
    male: ['François', 'Jean-Luc', 'Théo', 'Jérôme', 'Loïc', 'Benoît'],
    last: ['Lefèvre', 'Dubois', 'Girard', 'Bérard', 'Château', 'Lemaître', 'Fournier-Réau', "d'Artois"],
    phone: { code: '33', prefix: ['6', '7'], digits: 8 },
    cities: [{ city: 'Paris', region: 'Île-de-France' }, { city: 'Lyon', region: 'Auvergne-Rhône-Alpes' }, { city: 'Nîmes', region: 'Occitanie' }],
    streets: ['Rue de Rivoli', 'Boulevard Saint-Germain', 'Rue du Faubourg Saint-Honoré', 'Avenue Jean-Jaurès'],
  },
];

/** Most patients of a Stockholm clinic live in Sweden, whatever their names. */
export const HOME_LOCALE = LOCALES[0];

/** Mail-safe ASCII for a generated address: "Ó Súilleabháin" → "osuilleabhain". */
export function emailPart(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd').replace(/[łŁ]/g, 'l').replace(/ß/g, 'ss').replace(/[øØ]/g, 'o')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
