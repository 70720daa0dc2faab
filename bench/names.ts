/**
 * Name pools for the search benchmark: several hundred first names and surnames from many
 * languages, with accents, apostrophes and particles, written for this benchmark. Double
 * surnames and middle names are made from them by the loader.
 */
const words = (text: string) =>
  text
    .trim()
    .split(/\s+/)
    .map((name) => name.replace(/_/g, ' '));

export const FIRST_NAMES = words(`
  James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica
  Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra Donald Ashley
  Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa
  Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy
  Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen
  Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack
  Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Oliver Olivia Harry Amelia Noah Isla Leo Ava Oscar Mia
  Archie Ivy Alfie Freya Theo Florence Arthur Poppy Finley Evie Siobhán Aoife Niamh Saoirse Ciarán Seán Pádraig Róisín
  Eoin Caoimhe Dónal Méabh Ailbhe Cathal Gráinne José María Jesús Lucía Sofía Martín Álvaro Inés Ramón Begoña Íñigo
  Ángela Raúl Adrián Mónica Joaquín Rocío Nuria Xavier João Conceição Gonçalo Leonor Tomás Beatriz Duarte Matilde
  François Amélie Hélène Léa Chloé Benoît Jérôme Céline Anaïs Gaëlle Noël Zoë Loïc Maëlle Théo Étienne Océane Raphaël
  Jürgen Jörg Björn Günther Sören Lukas Leonie Jonas Lena Felix Hanna Maximilian Katharina Moritz Anneliese Käthe
  Søren Sigrún Åsa Øystein Ingrid Astrid Magnus Freja Lars Sæunn Björk Ólafur Þórdís Eyjólfur Kristín Linnéa Göran
  Małgorzata Łukasz Wojciech Zofia Krzysztof Agnieszka Paweł Katarzyna Jędrzej Bożena Tomasz Ewa Dominik Grzegorz
  Jiří Dvořák_Anežka Tereza Václav Radek Lucie Ondřej Zuzana Miroslav Šárka Dušan Ivana Milica Nikola Đorđe Jelena
  Dragan Zoran Snežana Mihai Ioana Andrei Ștefan Elena Gheorghe Ana Vasile Giulia Francesco Alessandro Chiara Lorenzo
  Federica Matteo Sofia Giovanni Niccolò Beatrice Dimitrios Eleni Georgios Katerina Nikos Sotiris Vasiliki Yiannis
  Ivan Olga Sergei Natalia Dmitri Tatiana Mikhail Svetlana Alexei Yulia Oksana Bohdan Taras Mehmet Ayşe Mustafa Fatma
  Ahmet Emine Hüseyin Zeynep Oğuz Gülşen Çağla Şükrü Ali Fatima Omar Aisha Hassan Khadija Yusuf Maryam Ibrahim Zainab
  Hamza Layla Bilal Amina Tariq Noor Abdullah Samira Karim Yasmin Khalid Leila Rashid Salma Farid Nadia Imran Sana
  Priya Arjun Ananya Rohan Kavya Vikram Deepika Rahul Aarav Sneha Sanjay Lakshmi Venkatesh Divya Aditya Pooja Harpreet
  Gurpreet Manjit Jaswinder Wei Li Jing Hui Xiaoming Mei Jun Yan Hao Ling Hiroshi Yuki Haruto Sakura Kenji Aiko Takeshi
  Yumi Min-jun Ji-woo Seo-yeon Hyun-woo Thanh Linh Minh Huong Quang Phuong Olumide Chiamaka Emeka Ngozi Oluwaseun Adaeze
  Chinedu Folasade Kwame Ama Kofi Abena Tendai Nomvula Sipho Thandiwe Amara Zola Kemi Tunde Wanjiru Kamau Achieng Otieno
  Mateo Valentina Santiago Camila Sebastián Isabella Nicolás Gabriela Diego Daniela Alejandro Fernanda Luciana Emilio
  Kai Leilani Koa Malia Tama Aroha Wiremu Mere Rangi Hemi Dagny Eero Aino Juhani Siiri Tuomas Kaarina Mikko Pirjo
`);

export const SURNAMES = words(`
  Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernández López González Wilson Anderson
  Thomas Taylor Moore Jackson Martin Lee Pérez Thompson White Harris Sánchez Clark Ramírez Lewis Robinson Walker Young
  Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter
  Roberts Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed
  Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Myers Long Ross
  O'Brien O'Connor O'Neill O'Sullivan O'Reilly O'Donnell McCarthy MacDonald McLaughlin Ó_Súilleabháin Ní_Bhriain
  Byrne Ryan Walsh Doyle Kavanagh Fitzgerald Gallagher Quinn Brennan Nolan Keane Dunne Lynch Devlin Ó_Floinn
  Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf
  Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Köhler Günther Böhm Straße
  Dubois Durand Lefèvre Leroy Moreau Simon Laurent Lefebvre Michel Fournier Girard Bonnet Dupont Lambert Fontaine
  Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Perrin
  D'Angelo D'Amico De_Luca Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti
  Costa Giordano Mancini Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli
  Silva Santos Oliveira Souza Pereira Ferreira Alves Gonçalves Ribeiro Carvalho Gomes Martins Araújo Rocha Magalhães
  Fernández Díaz Gómez Jiménez Ruiz Álvarez Moreno Muñoz Romero Alonso Gutiérrez Navarro Domínguez Vázquez Ibáñez
  Kowalski Nowak Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Kozłowski
  Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Pawłowski Michalski Król Wieczorek Jabłoński Wróbel
  Novák Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák Němec Marek Pospíšil Hájek Jelínek Král Růžička
  Horvat Kovačević Babić Marić Jurić Novaković Petrović Jovanović Nikolić Đorđević Ilić Stojanović Popescu Ionescu
  Popa Stan Dumitru Stoica Gheorghiu Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson
  Gustafsson Lindqvist Lindström Bergström Åkesson Sjöberg Nyström Hansen Jensen Nielsen Pedersen Andersen Christensen
  Sørensen Rasmussen Jørgensen Mortensen Haugen Bakke Solberg Strøm Lindahl Ólafsdóttir Jónsson Sigurðsson Guðmundsdóttir
  Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Papadopoulos Georgiou
  Nikolaidis Christodoulou Ivanov Smirnov Kuznetsov Popov Volkov Sokolov Lebedev Kozlov Petrenko Shevchenko Kovalenko
  Bondarenko Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin
  Khan Ahmed Ali Hussain Rahman Malik Iqbal Chaudhry Sheikh Qureshi Siddiqui Butt Mahmood Akhtar Aziz Haddad Khoury
  Nasser Saleh Mansour Hamdan Al-Farsi Al-Sayed El-Amin Abdallah Farouk Benali Bensaïd Amrani Belkacem Haddadi Mansouri
  Patel Shah Singh Kaur Sharma Gupta Kumar Reddy Nair Iyer Menon Rao Joshi Desai Mehta Chopra Kapoor Bhatt Pillai
  Chen Wang Zhang Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Luo Tanaka Suzuki Takahashi Watanabe Itō
  Yamamoto Nakamura Kobayashi Katō Yoshida Kim Park Choi Jung Kang Cho Yoon Jang Lim Tran Le Pham Hoang Phan Vu Dang
  Okafor Okonkwo Adeyemi Oyelaran Nwosu Eze Obi Chukwu Mensah Boateng Asante Owusu Mwangi Kamau Otieno Ndlovu Dlamini
  Nkosi Mokoena Diallo Traoré Keïta Coulibaly N'Diaye N'Guessan Sow Ba Tshabalala Van_der_Berg Van_Dijk De_Vries
  Janssen Bakker Visser Smit Meijer De_Jong Mulder Bos Vos Peeters Maes Claes Goossens Wouters Dupuis Mertens
`);
